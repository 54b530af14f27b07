-- b: a row trigger with its function, a statement trigger with a transition table, and a
--    column-specific trigger with WHEN
CREATE TABLE hero (id int PRIMARY KEY, name text, updated timestamptz);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated := now();
    RETURN NEW;
END $$;
CREATE FUNCTION count_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE '% rows', (SELECT count(*) FROM fresh);
    RETURN NULL;
END $$;
CREATE TRIGGER hero_touch BEFORE UPDATE ON hero FOR EACH ROW EXECUTE FUNCTION touch();
CREATE TRIGGER hero_count AFTER INSERT ON hero REFERENCING NEW TABLE AS fresh
    FOR EACH STATEMENT EXECUTE FUNCTION count_new();
CREATE TRIGGER hero_name_touch BEFORE UPDATE OF name ON hero FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION touch();
