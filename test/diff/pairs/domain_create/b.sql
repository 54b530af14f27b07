-- b: a domain with a default, NOT NULL and a named check, used by a new column
CREATE DOMAIN posint AS int DEFAULT 1 NOT NULL CONSTRAINT posint_positive CHECK (VALUE > 0);
CREATE DOMAIN email AS text COLLATE "C" CHECK (VALUE LIKE '%@%');
CREATE TABLE hero (id int PRIMARY KEY, level posint, contact email);
