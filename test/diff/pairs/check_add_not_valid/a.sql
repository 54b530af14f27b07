CREATE TABLE hero (id int PRIMARY KEY, age int);
INSERT INTO hero VALUES (1, -5);   -- violates the new check: it can only be NOT VALID
