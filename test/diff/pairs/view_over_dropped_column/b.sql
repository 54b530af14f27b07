-- b: a column used by a view is dropped and the view no longer selects it
CREATE TABLE hero (id int PRIMARY KEY, name text);
CREATE VIEW hero_names AS SELECT id, name FROM hero;
