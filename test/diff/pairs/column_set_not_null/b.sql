-- b: the column becomes NOT NULL (existing rows have no NULLs)
CREATE TABLE hero (id int PRIMARY KEY, name text NOT NULL);
