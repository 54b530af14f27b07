-- b: no checks
CREATE TABLE hero (id int PRIMARY KEY, age int, name text);
