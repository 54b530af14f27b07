CREATE TABLE hero (id int PRIMARY KEY, age int);
CREATE FUNCTION age_group(age int) RETURNS int LANGUAGE sql IMMUTABLE RETURN age / 10;
CREATE VIEW hero_groups AS SELECT id, age_group(age) AS grp FROM hero;
