CREATE TABLE hero (id int PRIMARY KEY, name text, age int, email text);
CREATE VIEW hero_card AS SELECT id, name, age FROM hero;
