-- Issue 16, item 11 (docs/security.md): what changes who may do what is flagged
-- changes_authorization by ender_hazards, and a role that is itself named "PUBLIC" is never
-- taken for the PUBLIC pseudo-role by a privilege diff.
CREATE EXTENSION ender;

SELECT statement, hazards FROM ender_hazards($$
CREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 1';
ALTER FUNCTION g() SECURITY DEFINER;
ALTER FUNCTION g() SECURITY INVOKER;
ALTER TABLE t DISABLE ROW LEVEL SECURITY;
ALTER TABLE t NO FORCE ROW LEVEL SECURITY;
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
CREATE EVENT TRIGGER e ON ddl_command_start EXECUTE FUNCTION h();
ALTER EVENT TRIGGER e DISABLE;
DO $do$ BEGIN NULL; END $do$;
GRANT SELECT ON t TO app;
ALTER ROLE app SUPERUSER;
$$);

-- A role named "PUBLIC": the snapshot writes it quoted, the diff grants to that role only.
CREATE ROLE "PUBLIC";
CREATE ROLE ender_regress_bystander;
CREATE TABLE pub (id int);
GRANT SELECT ON pub TO "PUBLIC";
CREATE TEMP TABLE doc AS SELECT ender_snapshot(privileges => true) AS d;
SELECT jsonb_path_query(d, '$.tables[*] ? (@.name == "pub").privileges') FROM doc;
REVOKE SELECT ON pub FROM "PUBLIC";
SELECT sql, reverse_sql FROM ender_diff((SELECT d FROM doc));
DO $$ BEGIN EXECUTE (SELECT sql FROM ender_diff((SELECT d FROM doc))); END $$;
SELECT has_table_privilege((SELECT oid FROM pg_roles WHERE rolname = 'PUBLIC'), 'pub', 'SELECT') AS role_public_reads,
       has_table_privilege('ender_regress_bystander', 'pub', 'SELECT') AS everyone_reads;

DROP TABLE pub;
DROP ROLE "PUBLIC", ender_regress_bystander;
DROP EXTENSION ender;
