CREATE TABLE hero (id int PRIMARY KEY, email text, name text);
