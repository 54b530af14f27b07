-- b: replica identity USING INDEX, FULL, and back to DEFAULT
CREATE TABLE hero (id int PRIMARY KEY, email text NOT NULL, name text);
CREATE UNIQUE INDEX hero_email ON hero (email);
CREATE TABLE log (at timestamptz, what text);
CREATE TABLE tag (id int PRIMARY KEY);
ALTER TABLE hero REPLICA IDENTITY USING INDEX hero_email;
ALTER TABLE log REPLICA IDENTITY FULL;
