CREATE FUNCTION next_code() RETURNS text LANGUAGE sql VOLATILE RETURN 'H' || floor(random() * 1000)::int;
CREATE TABLE hero (id int PRIMARY KEY, code text DEFAULT next_code());
