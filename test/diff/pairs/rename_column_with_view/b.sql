-- b: column name renamed to nick; the views over it, an expression index and a check follow the
-- rename (PostgreSQL rewrites them), so nothing is rebuilt
CREATE TABLE hero (id int PRIMARY KEY, nick text NOT NULL, secret_name text);
CREATE VIEW hero_public AS SELECT id, nick AS name FROM hero;
CREATE VIEW hero_names AS SELECT name FROM hero_public ORDER BY name;
CREATE INDEX hero_lower_name ON hero (lower(nick));
ALTER TABLE hero ADD CONSTRAINT hero_name_check CHECK (nick <> '');
