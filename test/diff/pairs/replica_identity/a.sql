CREATE TABLE hero (id int PRIMARY KEY, email text NOT NULL, name text);
CREATE UNIQUE INDEX hero_email ON hero (email);
CREATE TABLE log (at timestamptz, what text);
CREATE TABLE tag (id int PRIMARY KEY);
ALTER TABLE tag REPLICA IDENTITY FULL;
