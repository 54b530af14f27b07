-- b: sequence ticket_seq renamed to hero_ticket_seq (the default follows), index hero_name_idx
-- to hero_by_name, function shout to yell, trigger hero_touch to hero_touched, policy hero_all
-- to hero_everyone
CREATE SEQUENCE hero_ticket_seq START 100;
CREATE TABLE hero (id int PRIMARY KEY, ticket int DEFAULT nextval('hero_ticket_seq'), name text);
CREATE INDEX hero_by_name ON hero (name);
CREATE FUNCTION yell(t text) RETURNS text LANGUAGE sql IMMUTABLE RETURN upper(t);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER hero_touched BEFORE UPDATE ON hero FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE hero ENABLE ROW LEVEL SECURITY;
CREATE POLICY hero_everyone ON hero USING (true);
