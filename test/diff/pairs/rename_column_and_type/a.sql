CREATE TABLE hero (id int PRIMARY KEY, name varchar(50) NOT NULL, age int);
CREATE INDEX hero_name ON hero (name);
INSERT INTO hero VALUES (1, 'Deadpond', 30), (2, 'Rusty-Man', NULL);
