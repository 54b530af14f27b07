CREATE TABLE hero (id int PRIMARY KEY, name text NOT NULL, nickname text, age int);
INSERT INTO hero VALUES (1, 'Deadpond', 'Pond', 30);
