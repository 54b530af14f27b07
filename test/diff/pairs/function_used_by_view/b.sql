-- b: the function used by a view changes its result type: the view is dropped and recreated around it
CREATE TABLE hero (id int PRIMARY KEY, age int);
CREATE FUNCTION age_group(age int) RETURNS numeric LANGUAGE sql IMMUTABLE RETURN age / 10.0;
CREATE VIEW hero_groups AS SELECT id, age_group(age) AS grp FROM hero;
