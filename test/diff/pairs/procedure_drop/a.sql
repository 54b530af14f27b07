CREATE TABLE audit (at timestamptz, what text);
CREATE PROCEDURE log_event(what text) LANGUAGE sql AS $$ INSERT INTO audit VALUES (now(), what) $$;
