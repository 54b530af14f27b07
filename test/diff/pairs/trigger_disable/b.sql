-- b: one trigger disabled, the other fires always (also in replica sessions)
CREATE TABLE hero (id int PRIMARY KEY, name text, updated timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated := now();
    RETURN NEW;
END $$;
CREATE TRIGGER hero_touch BEFORE UPDATE ON hero FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER hero_touch_insert BEFORE INSERT ON hero FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE hero DISABLE TRIGGER hero_touch;
ALTER TABLE hero ENABLE ALWAYS TRIGGER hero_touch_insert;
