-- b: a column removed from the middle of the view, another added (needs drop and create)
CREATE TABLE hero (id int PRIMARY KEY, name text, age int, email text);
CREATE VIEW hero_card AS SELECT id, age, email FROM hero;
