-- a: two tables
CREATE TABLE team (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE scratch (id int PRIMARY KEY, payload text);
INSERT INTO scratch VALUES (1, 'x');
