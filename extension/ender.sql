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
    registered_by name NOT NULL DEFAULT CURRENT_USER,
    step text  -- a C++ data step ("-- ender:step"), run by the application's migrate program
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
    error_context text,
    lock_retries integer NOT NULL DEFAULT 0  -- attempts rolled back on a lock timeout or deadlock
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
    lock_timeout_ms integer NOT NULL CHECK (lock_timeout_ms >= 0),  -- 0: no lock timeout
    statement_timeout_ms integer NOT NULL DEFAULT 0 CHECK (statement_timeout_ms >= 0),  -- 0: none
    search_path text NOT NULL,      -- the caller's, for the revision's expressions

    started_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    backfill_started_at timestamptz,
    ready_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    worker_pid integer,             -- set by the worker while it runs (never signalled from here)
    last_error text,                -- may hold row values: ender._job_error() shows it
    last_error_at timestamptz,
    owner regrole NOT NULL          -- who started it: the role its worker runs as
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

-- Logical replication (docs/replication.md): a FOR ALL TABLES publication cannot leave ender's
-- tables out in PostgreSQL 15, so a subscriber would receive the publisher's bookkeeping (its
-- applied revisions, log and state row) into its own, marking revisions applied that it never
-- ran, or stopping replication on a duplicate key. A subscriber keeps its own state instead:
-- these triggers, enabled for the replica role only, drop every row a logical replication
-- worker (apply or initial table sync) would write into ender's tables. Ordinary sessions
-- never fire them; a session that sets session_replication_role = replica writes as usual.
CREATE FUNCTION ender.ignore_replicated_row() RETURNS trigger
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF EXISTS (SELECT FROM pg_catalog.pg_stat_get_activity(pg_catalog.pg_backend_pid()) a
                WHERE a.backend_type = 'logical replication worker') THEN
        RETURN NULL;  -- the publisher's row: this database keeps its own
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION ender.ignore_replicated_row() IS 'drops the rows logical replication would write into ender''s tables';
CREATE TRIGGER ignore_replicated_row BEFORE INSERT OR UPDATE OR DELETE ON ender.state
    FOR EACH ROW EXECUTE FUNCTION ender.ignore_replicated_row();
CREATE TRIGGER ignore_replicated_row BEFORE INSERT OR UPDATE OR DELETE ON ender.revision
    FOR EACH ROW EXECUTE FUNCTION ender.ignore_replicated_row();
CREATE TRIGGER ignore_replicated_row BEFORE INSERT OR UPDATE OR DELETE ON ender.applied
    FOR EACH ROW EXECUTE FUNCTION ender.ignore_replicated_row();
CREATE TRIGGER ignore_replicated_row BEFORE INSERT OR UPDATE OR DELETE ON ender.log
    FOR EACH ROW EXECUTE FUNCTION ender.ignore_replicated_row();
CREATE TRIGGER ignore_replicated_row BEFORE INSERT OR UPDATE OR DELETE ON ender.online_job
    FOR EACH ROW EXECUTE FUNCTION ender.ignore_replicated_row();
ALTER TABLE ender.state ENABLE REPLICA TRIGGER ignore_replicated_row;
ALTER TABLE ender.revision ENABLE REPLICA TRIGGER ignore_replicated_row;
ALTER TABLE ender.applied ENABLE REPLICA TRIGGER ignore_replicated_row;
ALTER TABLE ender.log ENABLE REPLICA TRIGGER ignore_replicated_row;
ALTER TABLE ender.online_job ENABLE REPLICA TRIGGER ignore_replicated_row;

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
        OUT error_context text, OUT lock_retries integer)
    RETURNS SETOF record
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- The text of a logged failure can hold row values: only members of ender_admin read it.
    IF has_table_privilege('ender.log', 'SELECT') THEN
        RETURN QUERY
        SELECT l.id, l.revision_id, l.operation, l.stamped, l.outcome, l.started_at, l.duration,
               l.run_by, l.statements, r.message, l.target, l.error_sqlstate, l.error_message,
               l.error_detail, l.error_hint, l.error_context, l.lock_retries
          FROM ender.log l LEFT JOIN ender.revision r ON r.id = l.revision_id
         ORDER BY l.id;
    ELSE
        RETURN QUERY
        SELECT l.id, l.revision_id, l.operation, l.stamped, l.outcome, l.started_at, l.duration,
               l.run_by, l.statements, r.message, l.target, l.error_sqlstate, NULL::text,
               NULL::text, NULL::text, NULL::text, l.lock_retries
          FROM ender.log l LEFT JOIN ender.revision r ON r.id = l.revision_id
         ORDER BY l.id;
    END IF;
END
$$;
COMMENT ON FUNCTION ender_history() IS 'lists every revision applied, undone or stamped, and every logged failure';

-- A revision's SQL and file, read as the caller (members of ender_admin may; ender_show does
-- not call it for others). Not inlined (SET clause), so its privilege check is its own.
CREATE FUNCTION ender._sources(id text, OUT upgrade_sql text, OUT downgrade_sql text,
                               OUT source text)
    RETURNS SETOF record
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT r.upgrade_sql, r.downgrade_sql, r.source FROM ender.revision r WHERE r.id = $1 $$;
COMMENT ON FUNCTION ender._sources(text) IS 'reads the sql and source of a revision, as the caller';

CREATE FUNCTION ender_show(target text,
        OUT id text, OUT parents text[], OUT children text[], OUT depends_on text[],
        OUT branch_label text, OUT message text, OUT applied boolean, OUT applied_at timestamptz,
        OUT is_head boolean, OUT is_current boolean, OUT checksum text,
        OUT registered_at timestamptz, OUT registered_by name, OUT upgrade text,
        OUT downgrade text, OUT source text)
    RETURNS SETOF record
    LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    -- Revision sources (which may hold data or secrets) are for members of ender_admin.
    sources boolean := has_table_privilege('ender.revision', 'SELECT');
BEGIN
    -- First, alone: an unknown target is an error even when no revision is registered (in
    -- the query below the planner may never evaluate it).
    PERFORM count(*) FROM pg_catalog.ender_resolve(target);
    RETURN QUERY
    WITH named AS (SELECT pg_catalog.ender_resolve(target) AS id),
         heads AS (SELECT pg_catalog.ender_heads() AS id),
         current AS (SELECT pg_catalog.ender_current() AS id)
    SELECT r.id, r.parents,
           ARRAY(SELECT c.id FROM ender.revision c WHERE r.id = ANY (c.parents) ORDER BY c.seq),
           r.depends_on, r.branch_label, r.message, a.revision_id IS NOT NULL, a.applied_at,
           r.id IN (SELECT h.id FROM heads h), r.id IN (SELECT c.id FROM current c), r.checksum,
           r.registered_at, r.registered_by, s.upgrade_sql, s.downgrade_sql, s.source
      FROM ender.revision r
      LEFT JOIN ender.applied a ON a.revision_id = r.id
      LEFT JOIN LATERAL (SELECT * FROM ender._sources(r.id) WHERE sources) s ON true
     WHERE r.id IN (SELECT n.id FROM named n)
     ORDER BY r.seq;
END
$$;
COMMENT ON FUNCTION ender_show(text) IS 'shows the revisions a target names, with their SQL and status';

-- Online revisions (docs/zero-downtime.md) ------------------------------------------------

CREATE FUNCTION ender_resume() RETURNS integer
    LANGUAGE c VOLATILE PARALLEL UNSAFE
    AS 'MODULE_PATHNAME', 'ender_resume';
COMMENT ON FUNCTION ender_resume() IS 'starts a worker for every online job that has none (after a restart); returns how many';

-- The error of a failed online job can hold row values (duplicate keys, a failing row): shown
-- to members of the job's owner and superusers, NULL for everyone else.
CREATE FUNCTION ender._job_error(job bigint) RETURNS text
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'ender_job_error';
COMMENT ON FUNCTION ender._job_error(bigint) IS 'shows the last error of an online job to its owner and superusers';

-- A hand-written online job's operation is its phases' SQL (which may hold data or secrets, as
-- revision sources do): shown to members of the job's owner or of ender_admin and to
-- superusers, as "custom" to everyone else. Generated operations are shown to every role.
CREATE FUNCTION ender._job_operation(job bigint) RETURNS text
    LANGUAGE c STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'ender_job_operation';
COMMENT ON FUNCTION ender._job_operation(bigint) IS 'shows an online job''s operation, a hand-written one to its owner, ender_admin and superusers only';

CREATE FUNCTION ender_status(
        OUT revision text, OUT operation text, OUT phase text, OUT rows_done bigint,
        OUT rows_total bigint, OUT percent numeric, OUT rows_per_second numeric,
        OUT eta interval, OUT batches bigint, OUT lock_retries bigint, OUT worker_running boolean,
        OUT started_at timestamptz, OUT updated_at timestamptz, OUT last_error text,
        OUT last_error_at timestamptz, OUT replication_lag_bytes bigint)
    RETURNS SETOF record
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- A worker for every job that lost its own (after a restart), when the caller may start
    -- one (ender_resume's EXECUTE is checked before the call: everyone may call this).
    IF has_function_privilege('pg_catalog.ender_resume()', 'EXECUTE') THEN
        PERFORM pg_catalog.ender_resume();
    END IF;
    RETURN QUERY
    SELECT j.revision_id, ender._job_operation(j.id), j.phase, j.rows_done, j.rows_total,
           round(100.0 * LEAST(j.rows_done, GREATEST(j.rows_total, 1)) / GREATEST(j.rows_total, 1), 1),
           rate.per_second,
           CASE WHEN j.phase = 'backfill' AND rate.per_second > 0
                THEN make_interval(secs => GREATEST(j.rows_total - j.rows_done, 0) / rate.per_second) END,
           j.batches, j.lock_retries,
           EXISTS (SELECT FROM pg_locks l
                    WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                      AND l.classid = 1701733477 AND l.objid = j.id AND l.objsubid = 2 AND l.granted),
           j.started_at, j.updated_at, ender._job_error(j.id), j.last_error_at,
           -- WAL the furthest-behind subscriber or standby has not applied (docs/replication.md)
           CASE WHEN NOT pg_is_in_recovery() THEN
                (SELECT max(pg_wal_lsn_diff(pg_current_wal_lsn(), COALESCE(r.replay_lsn, r.flush_lsn)))::bigint
                   FROM pg_stat_replication r) END
      FROM ender.online_job j
     CROSS JOIN LATERAL (
           SELECT round(j.rows_done / NULLIF(extract(epoch FROM COALESCE(j.ready_at, j.updated_at) - j.backfill_started_at), 0), 1)
                  AS per_second) rate
     ORDER BY j.id;
END
$$;
COMMENT ON FUNCTION ender_status() IS 'shows every online revision in progress: phase, rows done, rate, time left, last error, replication lag';

-- A procedure that commits between polls: it holds no snapshot while it waits, so it waits
-- through an index built CONCURRENTLY (which waits for every older transaction) like through
-- any other phase. Transaction control rules out a SET clause: each transaction pins
-- search_path itself, with set_config(..., true).
CREATE PROCEDURE ender_wait(revision text, timeout interval DEFAULT NULL, INOUT phase text DEFAULT NULL)
    LANGUAGE plpgsql
    AS $$
DECLARE
    deadline timestamptz := pg_catalog.clock_timestamp() OPERATOR(pg_catalog.+) timeout;
    job record;
    polls bigint := 0;
BEGIN
    LOOP
        PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
        -- Now and then (not at every poll: a worker takes a moment to start and claim its job).
        IF polls % 100 = 0 AND has_function_privilege('pg_catalog.ender_resume()', 'EXECUTE') THEN
            PERFORM ender_resume();
        END IF;
        polls := polls + 1;
        SELECT j.id, j.phase, j.owner INTO job
          FROM ender.online_job j WHERE j.revision_id = revision;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'revision "%" has no online job in progress', revision
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'ender_status() lists the online revisions in progress.';
        END IF;
        phase := job.phase;
        IF job.phase = 'ready' THEN
            RETURN;
        END IF;
        IF job.phase = 'failed' THEN
            RAISE EXCEPTION 'online revision "%" failed', revision
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      DETAIL = COALESCE(ender._job_error(job.id),
                                        format('Its error is shown to members of role %s and to superusers.',
                                               job.owner)),
                      HINT = format('Abandon it with ender_rollback(%L).', revision);
        END IF;
        IF deadline IS NOT NULL AND clock_timestamp() >= deadline THEN
            RETURN;
        END IF;
        COMMIT;  -- no snapshot held while waiting
        PERFORM pg_catalog.pg_sleep(0.05);
    END LOOP;
END
$$;
COMMENT ON PROCEDURE ender_wait(text, interval, text) IS 'waits until an online revision is ready to complete (or fails, or the timeout passes), committing between polls; returns its phase';

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
-- ender's tables are written by ender's functions only, each of ender's own statements with
-- the extension owner's rights (extension/src/glue/owner_rights.hpp): nobody else may write
-- them, ender_admin included (docs/security.md). Reading is open, but for what may hold data
-- or secrets: revision sources, the text of logged failures and online jobs' operations
-- (ender_admin), the error of an online job (its owner, through ender._job_error).
REVOKE ALL ON ender.state, ender.revision, ender.applied, ender.log, ender.online_job
    FROM PUBLIC, ender_admin;
GRANT USAGE ON SCHEMA ender TO PUBLIC;
GRANT SELECT ON ender.state, ender.applied TO PUBLIC;
GRANT SELECT (id, seq, parents, depends_on, branch_label, message, checksum, registered_at,
              registered_by)
    ON ender.revision TO PUBLIC;
GRANT SELECT ON ender.revision TO ender_admin;
GRANT SELECT (id, revision_id, operation, stamped, outcome, started_at, duration, run_by,
              statements, target, error_sqlstate, lock_retries)
    ON ender.log TO PUBLIC;
GRANT SELECT ON ender.log TO ender_admin;
GRANT SELECT (id, revision_id, table_schema, table_name, new_type, phase, rows_done,
              rows_total, batches, last_key, lock_retries, batch_size, batch_pause_ms,
              lock_timeout_ms, statement_timeout_ms, search_path, started_at,
              backfill_started_at, ready_at, updated_at, worker_pid, last_error_at, owner)
    ON ender.online_job TO PUBLIC;
GRANT SELECT (operation) ON ender.online_job TO ender_admin;

-- What the statements of migration SQL may do to a running database, from the parse tree
-- (extension/src/glue/hazards.cpp): the hazard words of ender_diff's steps.
CREATE FUNCTION ender_hazards(source text,
        OUT statement integer, OUT line integer, OUT sql text, OUT hazards text[])
    RETURNS SETOF record
    LANGUAGE c IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS 'MODULE_PATHNAME', 'ender_hazards';
COMMENT ON FUNCTION ender_hazards(text) IS 'lists the statements of migration SQL with what each may do to a running database';
