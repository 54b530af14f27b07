-- b: a NOT NULL column with a default, on a table with rows
CREATE TABLE hero (id int PRIMARY KEY, name text NOT NULL, level int NOT NULL DEFAULT 1);
