CREATE TABLE hero (id int PRIMARY KEY, name text NOT NULL, code text COLLATE "C");
INSERT INTO hero VALUES (1, 'Deadpond', 'dp');
