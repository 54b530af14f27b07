-- b: procedures in sql and plpgsql
CREATE TABLE audit (at timestamptz, what text);
CREATE PROCEDURE log_event(what text) LANGUAGE sql AS $$ INSERT INTO audit VALUES (now(), what) $$;
CREATE PROCEDURE purge(keep interval DEFAULT '30 days') LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM audit WHERE at < now() - keep;
    COMMIT;
END $$;
