-- b: a nullable column at the end
CREATE TABLE hero (id int PRIMARY KEY, name text NOT NULL, email text);
