CREATE TABLE old_hero (id int CONSTRAINT hero_key PRIMARY KEY, name text);
CREATE INDEX hero_name ON old_hero (name);
CREATE SEQUENCE hero_ids OWNED BY old_hero.id;
INSERT INTO old_hero VALUES (1, 'Deadpond');
