CREATE TABLE hero (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO hero VALUES (1, 'Deadpond'), (2, 'Rusty-Man');
