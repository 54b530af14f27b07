CREATE TABLE hero (id int PRIMARY KEY, name text);
INSERT INTO hero VALUES (1, 'Deadpond');
