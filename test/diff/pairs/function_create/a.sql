CREATE TABLE hero (id int PRIMARY KEY, age int);
