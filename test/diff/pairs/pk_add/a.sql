CREATE TABLE hero (id int NOT NULL, name text);
INSERT INTO hero VALUES (1, 'Deadpond');
