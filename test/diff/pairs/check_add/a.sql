CREATE TABLE hero (id int PRIMARY KEY, age int, name text);
INSERT INTO hero VALUES (1, 30, 'Deadpond');
