-- ender: schema migrations inside PostgreSQL. The hand-edited install script of the current
-- version; the build copies it to ender--<version>.sql.
\echo Use "CREATE EXTENSION ender" to load this file. \quit

-- Refuse to install where ender cannot own its schema.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = 'ender') THEN
        RAISE EXCEPTION 'schema "ender" already exists'
            USING ERRCODE = 'duplicate_schema',
                  DETAIL = 'ender keeps its revisions, position and log in a schema named "ender" that the extension owns.',
                  HINT = 'Rename or drop the existing schema "ender", then create the extension again.';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'ender_admin') THEN
        CREATE ROLE ender_admin NOLOGIN;
    END IF;
END
$$;
COMMENT ON ROLE ender_admin IS 'may register, apply, undo and stamp ender revisions';

CREATE SCHEMA ender;
COMMENT ON SCHEMA ender IS 'ender''s revisions, applied position and log';

-- The state row: every change to ender's state updates it first, which serialises changes.
CREATE TABLE ender.state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    generation bigint NOT NULL DEFAULT 0
);
INSERT INTO ender.state DEFAULT VALUES;
COMMENT ON TABLE ender.state IS 'one row, updated by every change to ender''s state (the lock)';

CREATE TABLE ender.revision (
    id text PRIMARY KEY,
    seq bigint GENERATED ALWAYS AS IDENTITY,  -- unique by construction; orders, not identifies
    parents text[] NOT NULL DEFAULT '{}',
    depends_on text[] NOT NULL DEFAULT '{}',
    branch_label text,
    message text,
    upgrade_sql text NOT NULL,
    downgrade_sql text,
    online text,  -- an online operation ("-- ender:online"), run in phases by a worker
    checksum text NOT NULL,
    source text,
    registered_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    registered_by name NOT NULL DEFAULT CURRENT_USER
);
COMMENT ON TABLE ender.revision IS 'registered revisions, in registration order (seq)';
-- Partial: most revisions carry no label, and their NULLs need no index entry.
CREATE UNIQUE INDEX revision_branch_label_key ON ender.revision (branch_label)
    WHERE branch_label IS NOT NULL;

CREATE TABLE ender.applied (
    revision_id text PRIMARY KEY,
    seq bigint NOT NULL,  -- assigned under the state lock; orders, not identifies
    applied_at timestamptz NOT NULL,
    applied_by name NOT NULL
);
COMMENT ON TABLE ender.applied IS 'the applied revisions, in the order they were applied (seq)';
-- No foreign key to ender.revision: its per-row check was a third of the bookkeeping cost of
-- an upgrade. ender never deletes revisions, only the owner can (ender_admin may not), and
-- every operation reports an applied row whose revision is missing.

CREATE TABLE ender.log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    revision_id text,
    operation text NOT NULL CHECK (operation IN ('upgrade', 'downgrade', 'stamp', 'expand', 'complete',
                                             'rollback')),
    stamped boolean NOT NULL DEFAULT false,
    outcome text NOT NULL CHECK (outcome IN ('ok', 'failed')),
    started_at timestamptz NOT NULL,
    duration interval NOT NULL,
    run_by name NOT NULL,
    statements integer,
    target text,
    error_sqlstate text,
    error_message text,
    error_detail text,
    error_hint text,
    error_context text
);
COMMENT ON TABLE ender.log IS 'every revision applied, undone or stamped, and every logged failure';

-- An online revision in progress: started by ender_upgrade, driven by a background worker
-- through expand and backfill to ready, ended by ender_complete or ender_rollback (which
-- delete the row; the log keeps the history). docs/zero-downtime.md.
CREATE TABLE ender.online_job (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    revision_id text NOT NULL UNIQUE,
    operation text NOT NULL,        -- the "-- ender:online" line
    table_schema name NOT NULL,     -- resolved through the caller's search_path at start
    table_name name NOT NULL,
    new_type text,                  -- alter_column, add_column: the type as the catalog spells it
    phase text NOT NULL DEFAULT 'expand'
        CHECK (phase IN ('expand', 'backfill', 'validate', 'ready', 'failed')),
    rows_done bigint NOT NULL DEFAULT 0,
    rows_total bigint,              -- an estimate (pg_class.reltuples, or a count)
    batches bigint NOT NULL DEFAULT 0,
    last_key text[],                -- the last key of the last committed batch
    lock_retries bigint NOT NULL DEFAULT 0,
    batch_size integer NOT NULL CHECK (batch_size > 0),
    batch_pause_ms integer NOT NULL CHECK (batch_pause_ms >= 0),
    lock_timeout_ms integer NOT NULL CHECK (lock_timeout_ms > 0),
    statement_timeout_ms integer NOT NULL DEFAULT 0 CHECK (statement_timeout_ms >= 0),  -- 0: none
    search_path text NOT NULL,      -- the caller's, for the revision's expressions
    started_by name NOT NULL DEFAULT CURRENT_USER,
    started_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    backfill_started_at timestamptz,
    ready_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    worker_pid integer,
    last_error text,
    last_error_at timestamptz
);
COMMENT ON TABLE ender.online_job IS 'online revisions in progress: phase, backfill progress, last error';

-- pg_dump keeps the history: a dump and restore of the database keeps ender's state.
SELECT pg_catalog.pg_extension_config_dump('ender.revision', '');
SELECT pg_catalog.pg_extension_config_dump('ender.revision_seq_seq', '');
SELECT pg_catalog.pg_extension_config_dump('ender.applied', '');
SELECT pg_catalog.pg_extension_config_dump('ender.log', '');
SELECT pg_catalog.pg_extension_config_dump('ender.log_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('ender.online_job', '');
SELECT pg_catalog.pg_extension_config_dump('ender.online_job_id_seq', '');

-- Registering revisions ------------------------------------------------------------------

CREATE FUNCTION ender_register(source text, replace boolean DEFAULT false) RETURNS text
    LANGUAGE c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    AS 'MODULE_PATHNAME', 'ender_register_file';
COMMENT ON FUNCTION ender_register(text, boolean) IS 'registers a revision from the text of a migration file';

CREATE FUNCTION ender_register(id text, parents text[], upgrade text, downgrade text DEFAULT NULL,
                               message text DEFAULT NULL, branch_label text DEFAULT NULL,
                               depends_on text[] DEFAULT NULL, replace boolean DEFAULT false)
    RETURNS text
    LANGUAGE c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    AS 'MODULE_PATHNAME', 'ender_register_fields';
COMMENT ON FUNCTION ender_register(text, text[], text, text, text, text, text[], boolean) IS 'registers a revision from its fields';

CREATE FUNCTION ender_register_many(sources text[], replace boolean DEFAULT false)
    RETURNS SETOF text
    LANGUAGE c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE ROWS 100
    AS 'MODULE_PATHNAME', 'ender_register_many';
COMMENT ON FUNCTION ender_register_many(text[], boolean) IS 'registers several migration files at once';

CREATE FUNCTION ender_merge(id text, message text DEFAULT NULL, revisions text DEFAULT 'heads')
    RETURNS text
    LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    merged text[] := ARRAY(SELECT pg_catalog.ender_resolve(revisions));
BEGIN
    IF pg_catalog.cardinality(merged) < 2 THEN
        RAISE EXCEPTION 'nothing to merge: "%" names % revision(s)', revisions, pg_catalog.cardinality(merged)
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'A merge joins two or more heads; ender_heads() lists them.';
    END IF;
    RETURN pg_catalog.ender_register(id => id, parents => merged, upgrade => '', downgrade => '',
        message => COALESCE(message, 'merge ' || pg_catalog.array_to_string(merged, ', ')));
END
$$;
COMMENT ON FUNCTION ender_merge(text, text, text) IS 'registers an empty revision whose parents are the heads (or the revisions a target names)';

-- Moving the position ----------------------------------------------------------------------
-- These C functions pin search_path to pg_catalog for ender's own queries and restore the
-- caller's search_path while a migration's SQL runs (a SET clause would hide it).

CREATE FUNCTION ender_upgrade(target text DEFAULT 'heads') RETURNS SETOF text
    LANGUAGE c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE ROWS 10
    AS 'MODULE_PATHNAME', 'ender_upgrade';
COMMENT ON FUNCTION ender_upgrade(text) IS 'applies the pending revisions up to a target, in one transaction';

CREATE FUNCTION ender_downgrade(target text) RETURNS SETOF text
    LANGUAGE c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE ROWS 10
    AS 'MODULE_PATHNAME', 'ender_downgrade';
COMMENT ON FUNCTION ender_downgrade(text) IS 'undoes the applied revisions above a target, in one transaction';

CREATE FUNCTION ender_stamp(target text) RETURNS SETOF text
    LANGUAGE c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE ROWS 10
    AS 'MODULE_PATHNAME', 'ender_stamp';
COMMENT ON FUNCTION ender_stamp(text) IS 'sets the applied position to a target without running any SQL';

CREATE PROCEDURE ender_upgrade_logged(target text DEFAULT 'heads', INOUT applied text[] DEFAULT NULL)
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'ender_upgrade_logged';
COMMENT ON PROCEDURE ender_upgrade_logged(text, text[]) IS 'applies like ender_upgrade and commits a log entry when it fails';

CREATE PROCEDURE ender_downgrade_logged(target text, INOUT undone text[] DEFAULT NULL)
    LANGUAGE c
    AS 'MODULE_PATHNAME', 'ender_downgrade_logged';
COMMENT ON PROCEDURE ender_downgrade_logged(text, text[]) IS 'undoes like ender_downgrade and commits a log entry when it fails';

-- Reading the graph --------------------------------------------------------------------------

CREATE FUNCTION ender_current() RETURNS SETOF text
    LANGUAGE c STABLE PARALLEL SAFE ROWS 2
    AS 'MODULE_PATHNAME', 'ender_current';
COMMENT ON FUNCTION ender_current() IS 'lists the current heads: applied revisions with no applied child';

CREATE FUNCTION ender_heads() RETURNS SETOF text
    LANGUAGE c STABLE PARALLEL SAFE ROWS 2
    AS 'MODULE_PATHNAME', 'ender_heads';
COMMENT ON FUNCTION ender_heads() IS 'lists the heads of the revision graph';

CREATE FUNCTION ender_branches(OUT revision text, OUT children text[]) RETURNS SETOF record
    LANGUAGE c STABLE PARALLEL SAFE ROWS 2
    AS 'MODULE_PATHNAME', 'ender_branches';
COMMENT ON FUNCTION ender_branches() IS 'lists the branch points: revisions with several children';

CREATE FUNCTION ender_resolve(target text) RETURNS SETOF text
    LANGUAGE c STABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 2
    AS 'MODULE_PATHNAME', 'ender_resolve';
COMMENT ON FUNCTION ender_resolve(text) IS 'lists the revisions a target names';

CREATE FUNCTION ender_history(
        OUT id bigint, OUT revision text, OUT operation text, OUT stamped boolean,
        OUT outcome text, OUT started_at timestamptz, OUT duration interval, OUT run_by name,
        OUT statements integer, OUT message text, OUT target text, OUT error_sqlstate text,
        OUT error_message text, OUT error_detail text, OUT error_hint text,
        OUT error_context text)
    RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT l.id, l.revision_id, l.operation, l.stamped, l.outcome, l.started_at, l.duration,
           l.run_by, l.statements, r.message, l.target, l.error_sqlstate, l.error_message,
           l.error_detail, l.error_hint, l.error_context
      FROM ender.log l LEFT JOIN ender.revision r ON r.id = l.revision_id
     ORDER BY l.id
    $$;
COMMENT ON FUNCTION ender_history() IS 'lists every revision applied, undone or stamped, and every logged failure';

CREATE FUNCTION ender_show(target text,
        OUT id text, OUT parents text[], OUT children text[], OUT depends_on text[],
        OUT branch_label text, OUT message text, OUT applied boolean, OUT applied_at timestamptz,
        OUT is_head boolean, OUT is_current boolean, OUT checksum text,
        OUT registered_at timestamptz, OUT registered_by name, OUT upgrade text,
        OUT downgrade text, OUT source text)
    RETURNS SETOF record
    LANGUAGE sql STABLE CALLED ON NULL INPUT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    -- First, alone: an unknown target is an error even when no revision is registered (in
    -- the query below the planner may never evaluate it).
    SELECT count(*) FROM pg_catalog.ender_resolve(target);
    WITH named AS (SELECT pg_catalog.ender_resolve(target) AS id),
         heads AS (SELECT pg_catalog.ender_heads() AS id),
         current AS (SELECT pg_catalog.ender_current() AS id)
    SELECT r.id, r.parents,
           ARRAY(SELECT c.id FROM ender.revision c WHERE r.id = ANY (c.parents) ORDER BY c.seq),
           r.depends_on, r.branch_label, r.message, a.revision_id IS NOT NULL, a.applied_at,
           r.id IN (SELECT id FROM heads), r.id IN (SELECT id FROM current), r.checksum,
           r.registered_at, r.registered_by, r.upgrade_sql, r.downgrade_sql, r.source
      FROM ender.revision r
      LEFT JOIN ender.applied a ON a.revision_id = r.id
     WHERE r.id IN (SELECT id FROM named)
     ORDER BY r.seq
    $$;
COMMENT ON FUNCTION ender_show(text) IS 'shows the revisions a target names, with their SQL and status';

-- Online revisions (docs/zero-downtime.md) ------------------------------------------------

CREATE FUNCTION ender_resume() RETURNS integer
    LANGUAGE c VOLATILE PARALLEL UNSAFE
    AS 'MODULE_PATHNAME', 'ender_resume';
COMMENT ON FUNCTION ender_resume() IS 'starts a worker for every online job that has none (after a restart); returns how many';

CREATE FUNCTION ender_status(
        OUT revision text, OUT operation text, OUT phase text, OUT rows_done bigint,
        OUT rows_total bigint, OUT percent numeric, OUT rows_per_second numeric,
        OUT eta interval, OUT batches bigint, OUT lock_retries bigint, OUT worker_running boolean,
        OUT started_at timestamptz, OUT updated_at timestamptz, OUT last_error text,
        OUT last_error_at timestamptz)
    RETURNS SETOF record
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT j.revision_id, j.operation, j.phase, j.rows_done, j.rows_total,
           round(100.0 * LEAST(j.rows_done, GREATEST(j.rows_total, 1)) / GREATEST(j.rows_total, 1), 1),
           rate.per_second,
           CASE WHEN j.phase = 'backfill' AND rate.per_second > 0
                THEN make_interval(secs => GREATEST(j.rows_total - j.rows_done, 0) / rate.per_second) END,
           j.batches, j.lock_retries,
           EXISTS (SELECT FROM pg_locks l
                    WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND l.classid = 1701733477 AND l.objid = j.id AND l.objsubid = 2 AND l.granted),
           j.started_at, j.updated_at, j.last_error, j.last_error_at
      FROM ender.online_job j
     CROSS JOIN LATERAL (
           SELECT round(j.rows_done / NULLIF(extract(epoch FROM COALESCE(j.ready_at, j.updated_at) - j.backfill_started_at), 0), 1)
                  AS per_second) rate
     CROSS JOIN (SELECT CASE WHEN has_function_privilege('pg_catalog.ender_resume()', 'EXECUTE')
                             THEN ender_resume() END) resumed
     ORDER BY j.id
    $$;
COMMENT ON FUNCTION ender_status() IS 'shows every online revision in progress: phase, rows done, rate, time left, last error';

CREATE FUNCTION ender_wait(revision text, timeout interval DEFAULT NULL) RETURNS text
    LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    deadline timestamptz := clock_timestamp() + timeout;
    job record;
    polls bigint := 0;
BEGIN
    LOOP
        -- Now and then (not at every poll: a worker takes a moment to start and claim its job).
        IF polls % 100 = 0 AND has_function_privilege('pg_catalog.ender_resume()', 'EXECUTE') THEN
            PERFORM ender_resume();
        END IF;
        polls := polls + 1;
        SELECT j.phase, j.last_error, j.rows_done, j.rows_total, j.worker_pid INTO job
          FROM ender.online_job j WHERE j.revision_id = revision;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'revision "%" has no online job in progress', revision
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'ender_status() lists the online revisions in progress.';
        END IF;
        IF job.phase = 'ready' THEN
            RETURN job.phase;
        END IF;
        IF job.phase = 'failed' THEN
            RAISE EXCEPTION 'online revision "%" failed', revision
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = job.last_error,
                      HINT = format('Abandon it with ender_rollback(%L).', revision);
        END IF;
        -- An index built CONCURRENTLY waits for every older transaction, this call's too.
        IF job.phase = 'validate' AND pg_backend_pid() = ANY (pg_blocking_pids(job.worker_pid)) THEN
            RAISE EXCEPTION 'ender_wait would hold up the index build of online revision "%"', revision
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = 'CREATE INDEX CONCURRENTLY waits for every transaction older than it, and this call is one.',
                      HINT = 'Poll ender_status(), one call per transaction, until the phase is ready.';
        END IF;
        IF deadline IS NOT NULL AND clock_timestamp() >= deadline THEN
            RETURN job.phase;
        END IF;
        PERFORM pg_sleep(0.05);
    END LOOP;
END
$$;
COMMENT ON FUNCTION ender_wait(text, interval) IS 'waits until an online revision is ready to complete (or fails, or the timeout passes); returns its phase';

CREATE FUNCTION ender_complete(revision text) RETURNS text
    LANGUAGE c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    AS 'MODULE_PATHNAME', 'ender_complete';
COMMENT ON FUNCTION ender_complete(text) IS 'contracts an online revision whose backfill is done: the new shape becomes the only one';

CREATE FUNCTION ender_rollback(revision text) RETURNS text
    LANGUAGE c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    AS 'MODULE_PATHNAME', 'ender_rollback';
COMMENT ON FUNCTION ender_rollback(text) IS 'abandons an online revision before it completes, leaving the schema as it was before expand';

-- Privileges: reading is open; changing the schema through ender needs ender_admin.
REVOKE ALL ON FUNCTION ender_register(text, boolean),
                       ender_register(text, text[], text, text, text, text, text[], boolean),
                       ender_register_many(text[], boolean), ender_merge(text, text, text),
                       ender_upgrade(text), ender_downgrade(text), ender_stamp(text),
                       ender_complete(text), ender_rollback(text), ender_resume()
    FROM PUBLIC;
REVOKE ALL ON PROCEDURE ender_upgrade_logged(text, text[]), ender_downgrade_logged(text, text[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ender_register(text, boolean),
                          ender_register(text, text[], text, text, text, text, text[], boolean),
                          ender_register_many(text[], boolean), ender_merge(text, text, text),
                          ender_upgrade(text), ender_downgrade(text), ender_stamp(text),
                          ender_complete(text), ender_rollback(text), ender_resume()
    TO ender_admin;
GRANT EXECUTE ON PROCEDURE ender_upgrade_logged(text, text[]), ender_downgrade_logged(text, text[])
    TO ender_admin;
GRANT USAGE ON SCHEMA ender TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA ender TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ender TO ender_admin;
REVOKE DELETE ON ender.state, ender.revision FROM ender_admin;

-- What the statements of migration SQL may do to a running database, from the parse tree
-- (extension/src/glue/hazards.cpp): the hazard words of ender_diff's steps.
CREATE FUNCTION ender_hazards(source text,
        OUT statement integer, OUT line integer, OUT sql text, OUT hazards text[])
    RETURNS SETOF record
    LANGUAGE c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'ender_hazards';
COMMENT ON FUNCTION ender_hazards(text) IS 'lists the statements of migration SQL with what each may do to a running database';
-- ender_snapshot: the live schema read from the system catalogs, as one canonical jsonb
-- document (docs/snapshot-format.md). Expressions come from the server's own deparsers
-- (pg_get_expr, pg_get_constraintdef, pg_get_indexdef, pg_get_viewdef, pg_get_functiondef,
-- pg_get_triggerdef), so they compare equal whatever text they were written with.
-- Part of the install script: the build appends it to extension/ender.sql.

-- The schemas a snapshot covers: the named ones, or every user schema. Never ender's own,
-- the system schemas, or temporary and TOAST schemas.
CREATE FUNCTION ender._snapshot_schemas(schemas text[]) RETURNS oid[]
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    wanted text;
    result oid[];
BEGIN
    IF schemas IS NULL THEN
        SELECT array_agg(n.oid ORDER BY n.nspname) INTO result
          FROM pg_namespace n
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'ender', 'pg_toast')
           AND n.nspname !~ '^pg_(temp|toast_temp)_'
           -- the schema of views of a running online revision (docs/zero-downtime.md)
           AND NOT EXISTS (SELECT FROM ender.online_job j WHERE n.nspname = left('ender_' || j.revision_id, 63))
           AND NOT EXISTS (SELECT FROM pg_depend d
                            WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid
                              AND d.deptype = 'e');
        RETURN COALESCE(result, '{}');
    END IF;
    FOREACH wanted IN ARRAY schemas LOOP
        IF wanted IS NULL THEN
            RAISE EXCEPTION 'schema names must not be null' USING ERRCODE = 'null_value_not_allowed';
        END IF;
        IF wanted IN ('pg_catalog', 'information_schema', 'ender', 'pg_toast')
           OR wanted ~ '^pg_(temp|toast_temp)_'
           OR EXISTS (SELECT FROM ender.online_job j WHERE wanted = left('ender_' || j.revision_id, 63)) THEN
            RAISE EXCEPTION 'schema "%" cannot be snapshotted', wanted
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'System, temporary and ender''s own schemas are never part of a snapshot.';
        END IF;
        IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = wanted) THEN
            RAISE EXCEPTION 'schema "%" does not exist', wanted
                USING ERRCODE = 'invalid_schema_name';
        END IF;
    END LOOP;
    SELECT array_agg(n.oid ORDER BY n.nspname) INTO result
      FROM pg_namespace n WHERE n.nspname = ANY (schemas);
    RETURN result;
END
$$;
COMMENT ON FUNCTION ender._snapshot_schemas(text[]) IS 'resolves the schemas a snapshot covers';

-- The privileges an ACL grants to roles other than the owner, as a sorted list of
-- {grantee, privilege, grantable} ("PUBLIC" for every role). A NULL ACL means the defaults
-- of the object's kind (acldefault), such as EXECUTE to PUBLIC on a function. Grantors are
-- not kept: the same privilege granted by two roles is one entry.
CREATE FUNCTION ender._privileges(acl aclitem[], owner oid, kind "char") RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT COALESCE(jsonb_agg(jsonb_build_object('grantee', p.grantee, 'privilege', p.privilege,
                                                 'grantable', p.grantable)
                              ORDER BY p.grantee COLLATE "C", p.privilege COLLATE "C"), '[]')
      FROM (SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END AS grantee,
                   a.privilege_type AS privilege, bool_or(a.is_grantable) AS grantable
              FROM aclexplode(COALESCE(acl, acldefault(kind, owner))) a
             WHERE a.grantee <> owner
             GROUP BY 1, 2) p
    $$;
COMMENT ON FUNCTION ender._privileges(aclitem[], oid, "char") IS 'lists the privileges an acl grants to roles other than the owner';

-- The snapshot as json text: ender_snapshot() casts it to jsonb, ender_diff() hands it to the
-- engine as it is. The document is built as json (text) and cast once: nested jsonb_build_object
-- and jsonb_agg would re-encode every inner value at every level, which made a 2,000-table
-- snapshot take seconds. Catalog rows are aggregated once per kind and joined (descriptions,
-- key column names, referenced tables), never looked up per row by correlated subqueries or
-- obj_description(). The settings pin everything the deparsers' output depends on, so a
-- snapshot does not change with the session's DateStyle, IntervalStyle or float output; JIT is
-- off because compiling this large query took seconds; work_mem keeps the sorts in memory.
-- PL/pgSQL keeps one generic plan of the query for the session (planning it takes tens of ms),
-- so ender_diff(ender_snapshot()) and later calls do not plan it again.
-- The "tables" list of the document, read in C++ (extension/src/glue/catalog_tables.cpp): most
-- of a schema, and faster built there than with json_build_object per column. Called by
-- ender._snapshot_json, whose settings it runs under.
CREATE FUNCTION ender._snapshot_tables(schemas oid[]) RETURNS json
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'ender_snapshot_tables';
COMMENT ON FUNCTION ender._snapshot_tables(oid[]) IS 'reads the tables of the given schemas as snapshot json text';

CREATE FUNCTION ender._snapshot_json(schemas text[]) RETURNS json
    LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    SET datestyle = 'ISO, YMD'
    SET intervalstyle = 'postgres'
    SET extra_float_digits = 3
    SET bytea_output = 'hex'
    SET jit = off
    SET work_mem = '64MB'
    SET plan_cache_mode = force_generic_plan
    AS $$
DECLARE
    covered oid[] := ender._snapshot_schemas(schemas);  -- first: its errors name no big query
BEGIN
    RETURN (
WITH
ns AS (SELECT unnest(covered) AS oid),
-- Objects that belong to an extension are described by the extension, not one by one.
ext_member AS (SELECT d.classid, d.objid FROM pg_depend d WHERE d.deptype = 'e'),
rel AS (
    SELECT c.*, n.nspname
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relnamespace IN (SELECT oid FROM ns)
       AND NOT EXISTS (SELECT FROM ext_member e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid)
),
typ AS (
    SELECT t.*, n.nspname
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE t.typnamespace IN (SELECT oid FROM ns)
       AND NOT EXISTS (SELECT FROM ext_member e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid)
),
-- The columns of views and composite types (tables: ender._snapshot_tables). A collation is named only when it
-- differs from the type's default. Defaults cannot refer to columns, so they are deparsed
-- without the table's context (cheaper); generated expressions need it.
col AS (
    SELECT a.attrelid, r.relkind, a.attnum, a.attname, a.attnotnull, a.attidentity, a.attgenerated, a.attislocal,
           format_type(a.atttypid, a.atttypmod) AS type,
           CASE WHEN a.attcollation <> t.typcollation AND a.attcollation <> 0
                THEN CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                          ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END END AS collation_name,
           CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, 0) ELSE pg_get_expr(d.adbin, d.adrelid) END AS expr,
           ds.description AS comment
      FROM rel r
      JOIN pg_attribute a ON a.attrelid = r.oid
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> t.typcollation
      LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = a.attrelid
                        AND ds.objsubid = a.attnum
     WHERE a.attnum > 0 AND NOT a.attisdropped AND r.relkind IN ('v', 'm', 'c')
),
view_columns AS (
    SELECT attrelid, json_agg(json_build_object('name', attname, 'comment', comment) ORDER BY attnum) AS list
      FROM col WHERE relkind IN ('v', 'm') GROUP BY attrelid
),
composite_attributes AS (
    SELECT attrelid, json_agg(json_build_object('name', attname, 'type', type, 'collation', collation_name,
                                                'comment', comment) ORDER BY attnum) AS list
      FROM col WHERE relkind = 'c' GROUP BY attrelid
),
-- Indexes that back a constraint are described by the constraint.
indexes AS (
    SELECT i.indrelid, json_agg(json_build_object(
               'name', ic.relname, 'definition', pg_get_indexdef(i.indexrelid),
               'unique', i.indisunique, 'method', am.amname,
               'predicate', pg_get_expr(i.indpred, i.indrelid),
               'nulls_not_distinct', i.indnullsnotdistinct,
               'comment', ds.description) ORDER BY ic.relname) AS list
      FROM pg_index i
      JOIN pg_class ic ON ic.oid = i.indexrelid
      JOIN pg_am am ON am.oid = ic.relam
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = i.indexrelid AND ds.objsubid = 0
     WHERE i.indrelid IN (SELECT oid FROM rel WHERE relkind = 'm')
       AND NOT EXISTS (SELECT FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
       AND NOT EXISTS (SELECT FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
     GROUP BY i.indrelid
),
triggers AS (
    SELECT t.tgrelid, json_agg(json_build_object(
               'name', t.tgname, 'definition', pg_get_triggerdef(t.oid),
               'enabled', CASE t.tgenabled WHEN 'O' THEN 'origin' WHEN 'D' THEN 'disabled'
                          WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' END,
               'comment', ds.description) ORDER BY t.tgname) AS list
      FROM pg_trigger t
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_trigger'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
     WHERE t.tgrelid IN (SELECT oid FROM rel WHERE relkind IN ('v', 'm')) AND NOT t.tgisinternal AND t.tgparentid = 0
     GROUP BY t.tgrelid
),
views AS (
    SELECT json_agg(json_build_object(
               'schema', r.nspname, 'name', r.relname, 'materialized', r.relkind = 'm',
               'definition', pg_get_viewdef(r.oid),
               'options', COALESCE(to_json(r.reloptions), '[]'),
               'columns', COALESCE(co.list, '[]'),
               'indexes', COALESCE(ix.list, '[]'),
               'triggers', COALESCE(tg.list, '[]'),
               -- the tables and views the view reads (pg_depend through its rewrite rule)
               'depends_on', (SELECT COALESCE(jsonb_agg(DISTINCT jsonb_build_object('schema', dn.nspname, 'name', dc.relname)), '[]')
                                FROM pg_rewrite rw
                                JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                                                AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.oid
                                JOIN pg_class dc ON dc.oid = d.refobjid
                                JOIN pg_namespace dn ON dn.oid = dc.relnamespace
                               WHERE rw.ev_class = r.oid),
               -- the functions it calls
               'functions', (SELECT COALESCE(jsonb_agg(DISTINCT jsonb_build_object('schema', fn.nspname, 'name', fp.proname,
                                                                            'argument_types', oidvectortypes(fp.proargtypes))), '[]')
                               FROM pg_rewrite rw
                               JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                                               AND d.refclassid = 'pg_proc'::regclass
                               JOIN pg_proc fp ON fp.oid = d.refobjid
                               JOIN pg_namespace fn ON fn.oid = fp.pronamespace
                              WHERE rw.ev_class = r.oid AND fn.nspname <> 'pg_catalog'),
               'comment', ds.description) ORDER BY r.nspname, r.relname) AS list
      FROM rel r
      LEFT JOIN view_columns co ON co.attrelid = r.oid
      LEFT JOIN indexes ix ON ix.indrelid = r.oid
      LEFT JOIN triggers tg ON tg.tgrelid = r.oid
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = r.oid AND ds.objsubid = 0
     WHERE r.relkind IN ('v', 'm')
),
sequences AS (
    SELECT json_agg(json_build_object(
               'schema', r.nspname, 'name', r.relname, 'type', format_type(s.seqtypid, NULL),
               'start', s.seqstart, 'increment', s.seqincrement, 'min', s.seqmin, 'max', s.seqmax,
               'cache', s.seqcache, 'cycle', s.seqcycle,
               'owned_by', (SELECT json_build_object('schema', on_.nspname, 'table', oc.relname, 'column', a.attname)
                              FROM pg_depend d JOIN pg_class oc ON oc.oid = d.refobjid
                              JOIN pg_namespace on_ ON on_.oid = oc.relnamespace
                              JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                             WHERE d.classid = 'pg_class'::regclass AND d.objid = r.oid
                               AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'),
               'comment', ds.description) ORDER BY r.nspname, r.relname) AS list
      FROM rel r JOIN pg_sequence s ON s.seqrelid = r.oid
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_class'::regclass AND ds.objoid = r.oid AND ds.objsubid = 0
     WHERE r.relkind = 'S'
       -- identity sequences belong to their column
       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                          AND d.objid = r.oid AND d.deptype = 'i')
),
enums AS (
    SELECT json_agg(json_build_object(
               'schema', t.nspname, 'name', t.typname,
               'labels', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),
               'comment', ds.description) ORDER BY t.nspname, t.typname) AS list
      FROM typ t
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_type'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
     WHERE t.typtype = 'e'
),
domains AS (
    SELECT json_agg(json_build_object(
               'schema', t.nspname, 'name', t.typname, 'type', format_type(t.typbasetype, t.typtypmod),
               'not_null', t.typnotnull, 'default', pg_get_expr(t.typdefaultbin, 0),
               'collation', CASE WHEN t.typcollation <> bt.typcollation
                            THEN (SELECT quote_ident(co.collname) FROM pg_collation co WHERE co.oid = t.typcollation) END,
               'constraints', (SELECT COALESCE(json_agg(json_build_object(
                                   'name', c.conname, 'definition', pg_get_constraintdef(c.oid),
                                   'valid', c.convalidated,
                                   'comment', obj_description(c.oid, 'pg_constraint')) ORDER BY c.conname), '[]')
                                 FROM pg_constraint c WHERE c.contypid = t.oid),
               'comment', ds.description) ORDER BY t.nspname, t.typname) AS list
      FROM typ t JOIN pg_type bt ON bt.oid = t.typbasetype
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_type'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
     WHERE t.typtype = 'd'
),
composites AS (
    SELECT json_agg(json_build_object(
               'schema', t.nspname, 'name', t.typname,
               'attributes', COALESCE(co.list, '[]'),
               'comment', ds.description) ORDER BY t.nspname, t.typname) AS list
      FROM typ t
      JOIN pg_class k ON k.oid = t.typrelid AND k.relkind = 'c'
      LEFT JOIN composite_attributes co ON co.attrelid = k.oid
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_type'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
     WHERE t.typtype = 'c'
),
functions AS (
    SELECT json_agg(json_build_object(
               'schema', n.nspname, 'name', p.proname,
               'kind', CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'w' THEN 'window' ELSE 'function' END,
               'arguments', pg_get_function_identity_arguments(p.oid),
               'argument_types', oidvectortypes(p.proargtypes),
               -- the tables and views a SQL-standard body reads
               'depends_on', (SELECT COALESCE(jsonb_agg(DISTINCT jsonb_build_object('schema', dn.nspname, 'name', dc.relname)), '[]')
                                FROM pg_depend d JOIN pg_class dc ON dc.oid = d.refobjid
                                JOIN pg_namespace dn ON dn.oid = dc.relnamespace
                               WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                                 AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'n'),
               'result', pg_get_function_result(p.oid),
               'language', l.lanname,
               'definition', pg_get_functiondef(p.oid),
               'comment', ds.description)
               ORDER BY n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)) AS list
      FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace
      JOIN pg_language l ON l.oid = p.prolang
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_proc'::regclass AND ds.objoid = p.oid AND ds.objsubid = 0
     WHERE p.pronamespace IN (SELECT oid FROM ns)
       AND p.prokind <> 'a'  -- aggregates: not covered yet
       AND NOT EXISTS (SELECT FROM ext_member e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid)
),
event_triggers AS (
    SELECT json_agg(json_build_object(
               'name', e.evtname, 'event', e.evtevent, 'function', e.evtfoid::regproc::text,
               'tags', to_json(e.evttags),
               'enabled', CASE e.evtenabled WHEN 'O' THEN 'origin' WHEN 'D' THEN 'disabled'
                          WHEN 'R' THEN 'replica' WHEN 'A' THEN 'always' END,
               'comment', obj_description(e.oid, 'pg_event_trigger')) ORDER BY e.evtname) AS list
      FROM pg_event_trigger e JOIN pg_proc p ON p.oid = e.evtfoid
     WHERE p.pronamespace IN (SELECT oid FROM ns)
       AND NOT EXISTS (SELECT FROM ext_member m WHERE m.classid = 'pg_event_trigger'::regclass AND m.objid = e.oid)
),
extensions AS (
    SELECT json_agg(json_build_object('name', x.extname, 'schema', n.nspname, 'version', x.extversion,
                                      'comment', obj_description(x.oid, 'pg_extension'))
                    ORDER BY x.extname) AS list
      FROM pg_extension x JOIN pg_namespace n ON n.oid = x.extnamespace
     WHERE x.extname <> 'ender'
       AND (schemas IS NULL OR x.extnamespace IN (SELECT oid FROM ns))
),
schema_list AS (
    SELECT json_agg(json_build_object('name', n.nspname,
                                      'comment', obj_description(n.oid, 'pg_namespace'))
                    ORDER BY n.nspname) AS list
      FROM pg_namespace n WHERE n.oid IN (SELECT oid FROM ns)
)
SELECT json_build_object(
    'format', 'ender-snapshot', 'version', 1,
    'deparsed_by', current_setting('server_version_num')::integer / 10000,
    'schemas', COALESCE((SELECT list FROM schema_list), '[]'),
    'extensions', COALESCE((SELECT list FROM extensions), '[]'),
    'enums', COALESCE((SELECT list FROM enums), '[]'),
    'domains', COALESCE((SELECT list FROM domains), '[]'),
    'composite_types', COALESCE((SELECT list FROM composites), '[]'),
    'sequences', COALESCE((SELECT list FROM sequences), '[]'),
    'tables', COALESCE(ender._snapshot_tables(covered), '[]'),
    'views', COALESCE((SELECT list FROM views), '[]'),
    'functions', COALESCE((SELECT list FROM functions), '[]'),
    'event_triggers', COALESCE((SELECT list FROM event_triggers), '[]')));
END
$$;
COMMENT ON FUNCTION ender._snapshot_json(text[]) IS 'reads the live schema from the catalogs as snapshot json text';

-- A snapshot document with the privileges of its objects added (ender_snapshot(privileges =>
-- true)): a second pass over the document, so the common snapshot without them stays one query.
-- Objects are found again by name (the document was read in the same statement); lists keep
-- their order.
CREATE FUNCTION ender._with_privileges(doc jsonb) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
WITH
relations AS (
    SELECT c.oid, n.nspname, c.relname, c.relacl, c.relowner
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
),
types AS (
    SELECT n.nspname, t.typname, t.typacl, t.typowner
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
),
-- The objects of list `key` that carry a relation's or a type's privileges.
with_relation_acl AS (
    SELECT e.key, jsonb_agg(o || jsonb_build_object('privileges', ender._privileges(r.relacl, r.relowner,
                                CASE e.key WHEN 'sequences' THEN 's' ELSE 'r' END::"char"))
                            || CASE WHEN e.key = 'tables' THEN jsonb_build_object('columns',
                                   (SELECT COALESCE(jsonb_agg(col || jsonb_build_object('privileges',
                                               ender._privileges(a.attacl, 0, 'c')) ORDER BY k), '[]')
                                      FROM jsonb_array_elements(o -> 'columns') WITH ORDINALITY AS x(col, k)
                                      JOIN pg_attribute a ON a.attrelid = r.oid AND a.attname = col ->> 'name'))
                               ELSE '{}' END
                            ORDER BY i) AS list
      FROM unnest(ARRAY['tables', 'views', 'sequences']) AS e(key)
      CROSS JOIN LATERAL jsonb_array_elements(doc -> e.key) WITH ORDINALITY AS l(o, i)
      JOIN relations r ON r.nspname = o ->> 'schema' AND r.relname = o ->> 'name'
     GROUP BY e.key
),
with_type_acl AS (
    SELECT e.key, jsonb_agg(o || jsonb_build_object('privileges', ender._privileges(t.typacl, t.typowner, 'T'))
                            ORDER BY i) AS list
      FROM unnest(ARRAY['enums', 'domains', 'composite_types']) AS e(key)
      CROSS JOIN LATERAL jsonb_array_elements(doc -> e.key) WITH ORDINALITY AS l(o, i)
      JOIN types t ON t.nspname = o ->> 'schema' AND t.typname = o ->> 'name'
     GROUP BY e.key
),
with_function_acl AS (
    SELECT jsonb_agg(o || jsonb_build_object('privileges', ender._privileges(p.proacl, p.proowner, 'f'))
                     ORDER BY i) AS list
      FROM jsonb_array_elements(doc -> 'functions') WITH ORDINALITY AS l(o, i)
      JOIN pg_namespace n ON n.nspname = o ->> 'schema'
      JOIN pg_proc p ON p.pronamespace = n.oid AND p.proname = o ->> 'name'
                    AND oidvectortypes(p.proargtypes) = o ->> 'argument_types'
),
with_schema_acl AS (
    SELECT jsonb_agg(o || jsonb_build_object('privileges', ender._privileges(n.nspacl, n.nspowner, 'n'))
                     ORDER BY i) AS list
      FROM jsonb_array_elements(doc -> 'schemas') WITH ORDINALITY AS l(o, i)
      JOIN pg_namespace n ON n.nspname = o ->> 'name'
)
SELECT doc || jsonb_build_object('privileges', true)
           || COALESCE((SELECT jsonb_object_agg(key, list) FROM with_relation_acl), '{}')
           || COALESCE((SELECT jsonb_object_agg(key, list) FROM with_type_acl), '{}')
           || COALESCE((SELECT jsonb_build_object('functions', list) FROM with_function_acl WHERE list IS NOT NULL), '{}')
           || COALESCE((SELECT jsonb_build_object('schemas', list) FROM with_schema_acl WHERE list IS NOT NULL), '{}')
$$;
COMMENT ON FUNCTION ender._with_privileges(jsonb) IS 'adds the privileges of its objects to a snapshot document';

CREATE FUNCTION ender_snapshot(schemas text[] DEFAULT NULL, privileges boolean DEFAULT false) RETURNS jsonb
    LANGUAGE sql STABLE CALLED ON NULL INPUT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT CASE WHEN privileges THEN ender._with_privileges(ender._snapshot_json(schemas)::jsonb)
                ELSE ender._snapshot_json(schemas)::jsonb END
    $$;
COMMENT ON FUNCTION ender_snapshot(text[], boolean) IS 'reads the live schema from the catalogs as a snapshot document';

-- The diff ------------------------------------------------------------------------------------

CREATE FUNCTION ender._diff(current text, target text, online boolean, renamed text DEFAULT NULL,
        OUT step integer, OUT sql text, OUT reverse_sql text, OUT object_kind text,
        OUT object_name text, OUT hazards text[], OUT in_transaction boolean,
        OUT online_operation text)
    RETURNS SETOF record
    LANGUAGE c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ender_diff_documents';
COMMENT ON FUNCTION ender._diff(text, text, boolean, text) IS 'computes the steps between two snapshot documents';

CREATE FUNCTION ender._diff_live(target text, online boolean,
        OUT step integer, OUT sql text, OUT reverse_sql text, OUT object_kind text,
        OUT object_name text, OUT hazards text[], OUT in_transaction boolean,
        OUT online_operation text)
    RETURNS SETOF record
    LANGUAGE c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    AS 'MODULE_PATHNAME', 'ender_diff_live';
COMMENT ON FUNCTION ender._diff_live(text, boolean) IS 'computes the steps from the live schema to a snapshot document';

-- Volatile: the renames a target declares (renamed_from) are tried in a subtransaction that is
-- rolled back, to diff against the schema they leave; a target not written by ender_snapshot()
-- is normalised by building it in scratch schemas inside another (docs/sql-reference.md). The
-- live snapshot lists privileges when the target does ("privileges": true).
CREATE FUNCTION ender_diff(target jsonb, online boolean DEFAULT true,
        OUT step integer, OUT sql text, OUT reverse_sql text, OUT object_kind text,
        OUT object_name text, OUT hazards text[], OUT in_transaction boolean,
        OUT online_operation text)
    RETURNS SETOF record
    LANGUAGE sql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT d.* FROM ender._diff_live(target::text, online) d $$;
COMMENT ON FUNCTION ender_diff(jsonb, boolean) IS 'lists the ordered steps that turn the live schema into a target snapshot';

-- The same with the document as text, the way a client sends it: the server does not parse a
-- large document into jsonb only to print it back for the engine. A quoted literal, or a
-- parameter sent without a type, resolves to this form.
CREATE FUNCTION ender_diff(target text, online boolean DEFAULT true,
        OUT step integer, OUT sql text, OUT reverse_sql text, OUT object_kind text,
        OUT object_name text, OUT hazards text[], OUT in_transaction boolean,
        OUT online_operation text)
    RETURNS SETOF record
    LANGUAGE sql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT d.* FROM ender._diff_live(target, online) d $$;
COMMENT ON FUNCTION ender_diff(text, boolean) IS 'lists the ordered steps that turn the live schema into a target snapshot given as json text';

CREATE FUNCTION ender_check(target jsonb) RETURNS boolean
    LANGUAGE sql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT NOT EXISTS (SELECT FROM ender._diff_live(target::text, true)) $$;
COMMENT ON FUNCTION ender_check(jsonb) IS 'tells whether the live schema equals a target snapshot';

CREATE FUNCTION ender_check(target text) RETURNS boolean
    LANGUAGE sql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT NOT EXISTS (SELECT FROM ender._diff_live(target, true)) $$;
COMMENT ON FUNCTION ender_check(text) IS 'tells whether the live schema equals a target snapshot given as json text';
