CREATE TABLE hero (id int PRIMARY KEY, name text, nickname text);
CREATE VIEW hero_names AS SELECT id, name, nickname FROM hero;
