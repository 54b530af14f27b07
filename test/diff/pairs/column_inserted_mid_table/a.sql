CREATE TABLE hero (name text, age int);
CREATE VIEW hero_card AS SELECT name, age FROM hero;
INSERT INTO hero VALUES ('Deadpond', 30);
