-- b: team dropped (its reverse restores the grant), a new table, function and schema created
-- with privileges; the old function dropped
CREATE SCHEMA app;
GRANT USAGE ON SCHEMA app TO pg_read_all_data;
CREATE TABLE app.hero (id int PRIMARY KEY, name text);
GRANT SELECT ON app.hero TO pg_read_all_data;
GRANT UPDATE (name) ON app.hero TO pg_monitor;
CREATE FUNCTION app.helper() RETURNS int LANGUAGE sql RETURN 2;
REVOKE EXECUTE ON FUNCTION app.helper() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.helper() TO pg_monitor;
