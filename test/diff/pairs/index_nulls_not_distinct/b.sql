-- b: the unique index treats NULLs as equal
CREATE TABLE hero (id int PRIMARY KEY, email text);
CREATE UNIQUE INDEX hero_email ON hero (email) NULLS NOT DISTINCT;
