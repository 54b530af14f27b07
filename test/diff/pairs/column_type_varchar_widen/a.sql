CREATE TABLE hero (id int PRIMARY KEY, name varchar(20) NOT NULL, code varchar(10));
INSERT INTO hero VALUES (1, 'Deadpond', 'DP');
