-- b: the column becomes nullable
CREATE TABLE hero (id int PRIMARY KEY, name text);
