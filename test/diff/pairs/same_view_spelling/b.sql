-- b: the same view and function written another way (qualified, parenthesised, upper case);
--    both are stored deparsed, so the documents and the dumps agree
CREATE TABLE public.hero (id INT PRIMARY KEY, name TEXT, age INT);
CREATE VIEW public.adults AS
    SELECT hero.id, hero."name"
      FROM public.hero
     WHERE ((hero.age >= 18))
     ORDER BY hero.name ASC;
CREATE FUNCTION public.add(a integer, b integer) RETURNS integer IMMUTABLE LANGUAGE SQL
    RETURN (a + b);
