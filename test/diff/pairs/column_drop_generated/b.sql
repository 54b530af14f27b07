-- b: the column stays but is no longer generated (ALTER COLUMN ... DROP EXPRESSION)
CREATE TABLE item (id int PRIMARY KEY, price numeric(10,2) NOT NULL, qty int NOT NULL,
                   total numeric);
