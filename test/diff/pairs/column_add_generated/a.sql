CREATE TABLE item (id int PRIMARY KEY, price numeric(10,2) NOT NULL, qty int NOT NULL);
INSERT INTO item VALUES (1, 2.50, 4);
