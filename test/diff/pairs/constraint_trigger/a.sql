CREATE TABLE hero (id int PRIMARY KEY, name text);
CREATE FUNCTION check_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name = '' THEN RAISE EXCEPTION 'empty name'; END IF;
    RETURN NULL;
END $$;
