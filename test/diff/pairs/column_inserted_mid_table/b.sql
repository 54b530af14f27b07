-- b: a column between two existing ones (the table's column order changes), read by a view
CREATE TABLE hero (name text, born_on date, age int);
CREATE VIEW hero_card AS SELECT name, born_on, age FROM hero;
