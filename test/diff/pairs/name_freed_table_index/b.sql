-- b: old_hero goes, and a new table hero takes the names its key, its index and the
-- sequence it owned had (indexes and sequences share the table namespace)
CREATE TABLE hero (id int CONSTRAINT hero_key PRIMARY KEY, name text);
CREATE INDEX hero_name ON hero (name);
CREATE SEQUENCE hero_ids OWNED BY hero.id;
