-- b: a deferrable constraint trigger
CREATE TABLE hero (id int PRIMARY KEY, name text);
CREATE FUNCTION check_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name = '' THEN RAISE EXCEPTION 'empty name'; END IF;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER hero_check_name AFTER INSERT OR UPDATE ON hero
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION check_name();
