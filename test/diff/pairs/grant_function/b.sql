-- b: EXECUTE on add taken from PUBLIC and given to pg_monitor; the procedure too
CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + b;
CREATE PROCEDURE noop() LANGUAGE sql AS $$ SELECT 1 $$;
REVOKE EXECUTE ON FUNCTION add(int, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION add(int, int) TO pg_monitor;
REVOKE EXECUTE ON PROCEDURE noop() FROM PUBLIC;
