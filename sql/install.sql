-- CREATE EXTENSION ender: what it installs, and where it refuses to install.
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

-- ender owns a schema named "ender"; an existing one is never taken over.
CREATE SCHEMA ender;
CREATE EXTENSION ender;
:sqlstate
DROP SCHEMA ender;

CREATE EXTENSION ender;
SELECT extname, extversion, extrelocatable, extnamespace::regnamespace
  FROM pg_extension WHERE extname = 'ender';

-- Every function states volatility, strictness and parallel safety, and has a comment.
SELECT p.oid::regprocedure AS function, p.prokind, p.provolatile, p.proisstrict, p.proparallel,
       obj_description(p.oid, 'pg_proc') AS comment
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'ender')
 ORDER BY p.oid::regprocedure::text;

-- The tables, and which of them pg_dump keeps (so a dump and restore keeps the history).
SELECT c.oid::regclass AS relation, c.relkind, obj_description(c.oid, 'pg_class') AS comment
  FROM pg_class c WHERE c.relnamespace = 'ender'::regnamespace AND c.relkind = 'r'
 ORDER BY c.relname;
SELECT unnest(extconfig)::regclass::text AS dumped FROM pg_extension WHERE extname = 'ender' ORDER BY dumped;
SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = 'ender_admin';

-- Dropping the extension removes its schema and state.
DROP EXTENSION ender;
SELECT count(*) AS ender_schemas FROM pg_namespace WHERE nspname = 'ender';
