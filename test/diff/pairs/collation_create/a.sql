CREATE TABLE hero (id int PRIMARY KEY, name text);
