-- b: another generation expression (PostgreSQL 15 cannot alter it in place)
CREATE TABLE item (id int PRIMARY KEY, price numeric(10,2) NOT NULL, qty int NOT NULL,
                   total numeric GENERATED ALWAYS AS (price * qty * 1.2) STORED);
