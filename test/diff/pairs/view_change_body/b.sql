-- b: same columns, another WHERE (CREATE OR REPLACE VIEW suffices)
CREATE TABLE hero (id int PRIMARY KEY, name text, age int);
CREATE VIEW adults AS SELECT id, name FROM hero WHERE age >= 21;
