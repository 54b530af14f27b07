-- b: a column in the middle is dropped
CREATE TABLE hero (id int PRIMARY KEY, name text NOT NULL, age int);
