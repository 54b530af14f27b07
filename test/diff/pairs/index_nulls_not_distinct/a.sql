CREATE TABLE hero (id int PRIMARY KEY, email text);
CREATE UNIQUE INDEX hero_email ON hero (email);
