CREATE TABLE hero (id int NOT NULL PRIMARY KEY, name text);
