CREATE SEQUENCE ticket_seq START 100;
CREATE TABLE hero (id int PRIMARY KEY, ticket int DEFAULT nextval('ticket_seq'), name text);
CREATE INDEX hero_name_idx ON hero (name);
CREATE FUNCTION shout(t text) RETURNS text LANGUAGE sql IMMUTABLE RETURN upper(t);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER hero_touch BEFORE UPDATE ON hero FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE hero ENABLE ROW LEVEL SECURITY;
CREATE POLICY hero_all ON hero USING (true);
INSERT INTO hero (id, name) VALUES (1, 'Deadpond');
