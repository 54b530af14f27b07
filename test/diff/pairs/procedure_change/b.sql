-- b: another body and SECURITY DEFINER
CREATE TABLE audit (at timestamptz, what text);
CREATE PROCEDURE log_event(what text) LANGUAGE sql SECURITY DEFINER
    AS $$ INSERT INTO audit VALUES (clock_timestamp(), upper(what)) $$;
