CREATE TABLE hero (id int PRIMARY KEY, name text NOT NULL, secret_name text);
CREATE VIEW hero_public AS SELECT id, name FROM hero;
CREATE VIEW hero_names AS SELECT name FROM hero_public ORDER BY name;
CREATE INDEX hero_lower_name ON hero (lower(name));
ALTER TABLE hero ADD CONSTRAINT hero_name_check CHECK (name <> '');
INSERT INTO hero VALUES (1, 'Deadpond', 'Dive Wilson');
