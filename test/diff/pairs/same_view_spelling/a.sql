-- a: a table, a view and a function with a standard SQL body, written one way
CREATE TABLE hero (id int PRIMARY KEY, name text, age int);
CREATE VIEW adults AS SELECT id, name FROM hero WHERE age >= 18 ORDER BY name;
CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + b;
