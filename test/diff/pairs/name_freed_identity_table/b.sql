-- b: old_hero goes, and with it the sequence of its identity column (old_hero_id_seq, a
-- relation of the schema); a new sequence takes that name
CREATE SEQUENCE old_hero_id_seq START 100;
CREATE TABLE hero (id int PRIMARY KEY, name text);
