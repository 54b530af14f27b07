CREATE TABLE hero (id int PRIMARY KEY, email text);
CREATE INDEX hero_email ON hero (email);
