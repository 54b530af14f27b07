-- ender 0.1 -> 0.2: run by ALTER EXTENSION ender UPDATE on a database that holds 0.1.
--
-- The rule (docs/architecture.md, "Versions and update scripts"): every change to the current
-- install script (extension/ender.sql, extension/snapshot.sql) that adds, changes or removes an
-- SQL object is made here too, in the same commit, so that 0.1 + this script gives exactly the
-- catalog a fresh CREATE EXTENSION of 0.2 gives (test/upgrade/catalog.sh checks it; the
-- order of columns matters: a new column goes last in both). Existing rows must survive:
-- ALTER, never DROP and CREATE, a table that holds state. Until 0.2 is released this script
-- may be edited; after that it is frozen like ender--0.1.sql and 0.2 -> 0.3 gets its own.
-- Every C function an older script declares stays in the shared library (ender--0.1.sql must
-- still install against it).
\echo Use "ALTER EXTENSION ender UPDATE TO '0.2'" to load this file. \quit

-- Lock-polite plain revisions (docs/zero-downtime.md, Locks): ender.lock_timeout may be 0 (off),
-- and the log counts the attempts rolled back on a lock.
ALTER TABLE ender.online_job DROP CONSTRAINT online_job_lock_timeout_ms_check,
    ADD CONSTRAINT online_job_lock_timeout_ms_check CHECK (lock_timeout_ms >= 0);
ALTER TABLE ender.log ADD COLUMN lock_retries integer NOT NULL DEFAULT 0;
-- Issue 20 (docs/client.md, Migrating at startup): a revision may name a C++ data step that only
-- the application's migrate program runs.
ALTER TABLE ender.revision ADD COLUMN step text;
-- Issue 16 (docs/security.md): ender's tables are written by ender's functions only, with the
-- extension owner's rights; an online job records its owner as a role (an OID), not a name.

-- online_job.started_by (a name anyone with UPDATE could change) becomes owner (regrole),
-- written by ender only; existing jobs keep their starter (a role that no longer exists
-- becomes 0, and its job fails at the next ender_resume, saying so).
ALTER TABLE ender.online_job ADD COLUMN owner regrole;
UPDATE ender.online_job
   SET owner = COALESCE(pg_catalog.to_regrole(pg_catalog.quote_ident(started_by)), 0::oid::regrole);
ALTER TABLE ender.online_job ALTER COLUMN owner SET NOT NULL;
ALTER TABLE ender.online_job DROP COLUMN started_by;

-- A revision's SQL and file, read as the caller (members of ender_admin may; ender_show does
-- not call it for others). Not inlined (SET clause), so its privilege check is its own.
CREATE FUNCTION ender._sources(id text, OUT upgrade_sql text, OUT downgrade_sql text,
                               OUT source text)
    RETURNS SETOF record
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT r.upgrade_sql, r.downgrade_sql, r.source FROM ender.revision r WHERE r.id = $1 $$;
COMMENT ON FUNCTION ender._sources(text) IS 'reads the sql and source of a revision, as the caller';

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

DROP FUNCTION ender_history();
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

CREATE OR REPLACE FUNCTION ender_show(target text,
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

-- ender_status() gains a column (the replication lag): dropped and created again.
DROP FUNCTION ender_status();
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

-- ender_wait becomes a procedure that commits between polls.
DROP FUNCTION ender_wait(text, interval);
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

-- ender's tables are written by ender's functions only, each of ender's own statements with
-- the extension owner's rights (extension/src/glue/owner_rights.hpp): nobody else may write
-- them, ender_admin included (docs/security.md). Reading is open, but for what may hold data
-- or secrets: revision sources, the text of logged failures and online jobs' operations
-- (ender_admin), the error of an online job (its owner, through ender._job_error).
REVOKE ALL ON ender.state, ender.revision, ender.applied, ender.log, ender.online_job
    FROM PUBLIC, ender_admin;
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

-- The privileges an ACL grants to roles other than the owner, as a sorted list of
-- {grantee, privilege, grantable} ("PUBLIC" for every role; a role that is itself named PUBLIC
-- is written "\"PUBLIC\""). A NULL ACL means the defaults
-- of the object's kind (acldefault), such as EXECUTE to PUBLIC on a function. Grantors are
-- not kept: the same privilege granted by two roles is one entry.
CREATE OR REPLACE FUNCTION ender._privileges(acl aclitem[], owner oid, kind "char") RETURNS jsonb
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- acldefault() itself ends an unknown kind with an internal error (XX000).
    IF acl IS NULL AND kind::text <> ALL ('{c,r,s,d,f,l,L,n,p,t,F,S,T}') THEN
        RAISE EXCEPTION 'invalid object kind "%"', kind
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The kinds are those of acldefault(): c, r, s, d, f, l, L, n, p, t, F, S, T.';
    END IF;
    RETURN (
    SELECT COALESCE(jsonb_agg(jsonb_build_object('grantee', p.grantee, 'privilege', p.privilege,
                                                 'grantable', p.grantable)
                              ORDER BY p.grantee COLLATE "C", p.privilege COLLATE "C"), '[]')
      FROM (SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC'
                        -- a role named PUBLIC (or starting with a quote): its quoted identifier
                        WHEN pg_get_userbyid(a.grantee) = 'PUBLIC' OR pg_get_userbyid(a.grantee) LIKE '"%'
                        THEN quote_ident(pg_get_userbyid(a.grantee))
                        ELSE pg_get_userbyid(a.grantee)::text END AS grantee,
                   a.privilege_type AS privilege, bool_or(a.is_grantable) AS grantable
              FROM aclexplode(COALESCE(acl, acldefault(kind, owner))) a
             WHERE a.grantee <> owner
             GROUP BY 1, 2) p);
END
$$;
COMMENT ON FUNCTION ender._privileges(aclitem[], oid, "char") IS 'lists the privileges an acl grants to roles other than the owner';

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


-- Snapshots list aggregates, operators, casts and text search objects of the schemas they cover, one
-- function per list (called by ender._snapshot_json, under its settings). Extension members
-- are left to their extension.

-- The functions of user schemas an object calls (an aggregate's transition and final
-- functions, an operator's function and estimators, a cast's function), as {schema, name,
-- argument_types}: the diff drops the object before any of them is dropped.
CREATE FUNCTION ender._snapshot_calls(classid oid, objid oid) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT COALESCE(jsonb_agg(DISTINCT jsonb_build_object('schema', n.nspname, 'name', p.proname,
                                                          'argument_types', oidvectortypes(p.proargtypes))), '[]')::json
      FROM pg_depend d
      JOIN pg_proc p ON p.oid = d.refobjid
      JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE d.classid = $1 AND d.objid = $2 AND d.refclassid = 'pg_proc'::regclass AND d.deptype = 'n'
       AND n.nspname <> 'pg_catalog'
    $$;
COMMENT ON FUNCTION ender._snapshot_calls(oid, oid) IS 'lists the user functions a catalog object calls';

-- An operator as CREATE OPERATOR and CREATE AGGREGATE name another one: OPERATOR(schema.name).
CREATE FUNCTION ender._operator_reference(operator oid) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT 'OPERATOR(' || quote_ident(n.nspname) || '.' || o.oprname || ')'
      FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
     WHERE o.oid = $1
    $$;
COMMENT ON FUNCTION ender._operator_reference(oid) IS 'names an operator as OPERATOR(schema.name)';

-- CREATE AGGREGATE objects: `options` is the parenthesised part of the statement, written the
-- way pg_dump writes it (defaults left out).
CREATE FUNCTION ender._snapshot_aggregates(schemas oid[]) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT json_agg(json_build_object(
               'schema', n.nspname, 'name', p.proname,
               'arguments', pg_get_function_identity_arguments(p.oid),
               'argument_types', oidvectortypes(p.proargtypes),
               'options', concat_ws(', ',
                   'SFUNC = ' || a.aggtransfn::regproc::text,
                   'STYPE = ' || format_type(a.aggtranstype, NULL),
                   'SSPACE = ' || NULLIF(a.aggtransspace, 0),
                   'FINALFUNC = ' || NULLIF(a.aggfinalfn, 0)::regproc::text,
                   CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
                   CASE WHEN a.aggfinalfn <> 0 AND a.aggfinalmodify <> CASE a.aggkind WHEN 'n' THEN 'r' ELSE 'w' END
                        THEN 'FINALFUNC_MODIFY = ' || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY'
                                                      WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
                   'COMBINEFUNC = ' || NULLIF(a.aggcombinefn, 0)::regproc::text,
                   'SERIALFUNC = ' || NULLIF(a.aggserialfn, 0)::regproc::text,
                   'DESERIALFUNC = ' || NULLIF(a.aggdeserialfn, 0)::regproc::text,
                   'INITCOND = ' || quote_literal(a.agginitval),
                   'MSFUNC = ' || NULLIF(a.aggmtransfn, 0)::regproc::text,
                   'MINVFUNC = ' || NULLIF(a.aggminvtransfn, 0)::regproc::text,
                   'MSTYPE = ' || format_type(NULLIF(a.aggmtranstype, 0), NULL),
                   'MSSPACE = ' || NULLIF(a.aggmtransspace, 0),
                   'MFINALFUNC = ' || NULLIF(a.aggmfinalfn, 0)::regproc::text,
                   CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
                   CASE WHEN a.aggmfinalfn <> 0 AND a.aggmfinalmodify <> CASE a.aggkind WHEN 'n' THEN 'r' ELSE 'w' END
                        THEN 'MFINALFUNC_MODIFY = ' || CASE a.aggmfinalmodify WHEN 'r' THEN 'READ_ONLY'
                                                       WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
                   'MINITCOND = ' || quote_literal(a.aggminitval),
                   'SORTOP = ' || ender._operator_reference(NULLIF(a.aggsortop, 0)),
                   CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE' WHEN 'r' THEN 'PARALLEL = RESTRICTED' END,
                   CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END),
               'functions', ender._snapshot_calls('pg_proc'::regclass, p.oid),
               'comment', ds.description)
               ORDER BY n.nspname, p.proname, oidvectortypes(p.proargtypes)) AS list
      FROM pg_proc p
      JOIN pg_aggregate a ON a.aggfnoid = p.oid
      JOIN pg_namespace n ON n.oid = p.pronamespace
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_proc'::regclass AND ds.objoid = p.oid AND ds.objsubid = 0
     WHERE p.pronamespace = ANY ($1)
       AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid
                                                 AND e.deptype = 'e')
    $$;
COMMENT ON FUNCTION ender._snapshot_aggregates(oid[]) IS 'reads the aggregates of the given schemas as snapshot json';

-- CREATE OPERATOR objects (shell operators, made by a commutator that was never defined, are
-- left out, as pg_dump does). Operators named by an operator are written OPERATOR(schema.op).
CREATE FUNCTION ender._snapshot_operators(schemas oid[]) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT json_agg(json_build_object(
               'schema', n.nspname, 'name', o.oprname,
               'left', format_type(NULLIF(o.oprleft, 0), NULL),
               'right', format_type(o.oprright, NULL),
               'function', o.oprcode::regproc::text,
               'commutator', ender._operator_reference(NULLIF(o.oprcom, 0)),
               'negator', ender._operator_reference(NULLIF(o.oprnegate, 0)),
               'restrict', NULLIF(o.oprrest, 0)::regproc::text,
               'join', NULLIF(o.oprjoin, 0)::regproc::text,
               'hashes', o.oprcanhash, 'merges', o.oprcanmerge,
               'functions', ender._snapshot_calls('pg_operator'::regclass, o.oid),
               'comment', ds.description)
               ORDER BY n.nspname, o.oprname, format_type(o.oprleft, NULL), format_type(o.oprright, NULL)) AS list
      FROM pg_operator o
      JOIN pg_namespace n ON n.oid = o.oprnamespace
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_operator'::regclass AND ds.objoid = o.oid AND ds.objsubid = 0
     WHERE o.oprnamespace = ANY ($1) AND o.oprcode <> 0
       AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_operator'::regclass AND e.objid = o.oid
                                                 AND e.deptype = 'e')
    $$;
COMMENT ON FUNCTION ender._snapshot_operators(oid[]) IS 'reads the operators of the given schemas as snapshot json';

-- CREATE CAST objects: casts belong to no schema; those whose source type, target type or
-- function is in one of the schemas are read (not those a type made for itself: a range
-- type's cast to its multirange type).
CREATE FUNCTION ender._snapshot_casts(schemas oid[]) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT json_agg(json_build_object(
               'source', format_type(c.castsource, NULL), 'target', format_type(c.casttarget, NULL),
               'method', CASE c.castmethod WHEN 'f' THEN 'function' WHEN 'b' THEN 'binary' ELSE 'inout' END,
               'function', NULLIF(c.castfunc, 0)::regprocedure::text,
               'context', CASE c.castcontext WHEN 'e' THEN 'explicit' WHEN 'a' THEN 'assignment' ELSE 'implicit' END,
               'functions', ender._snapshot_calls('pg_cast'::regclass, c.oid),
               'comment', ds.description)
               ORDER BY format_type(c.castsource, NULL), format_type(c.casttarget, NULL)) AS list
      FROM pg_cast c
      JOIN pg_type s ON s.oid = c.castsource
      JOIN pg_type t ON t.oid = c.casttarget
      LEFT JOIN pg_proc f ON f.oid = c.castfunc
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_cast'::regclass AND ds.objoid = c.oid AND ds.objsubid = 0
     WHERE (s.typnamespace = ANY ($1) OR t.typnamespace = ANY ($1) OR f.pronamespace = ANY ($1))
       AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_cast'::regclass AND e.objid = c.oid
                                                 AND e.deptype IN ('e', 'i'))
    $$;
COMMENT ON FUNCTION ender._snapshot_casts(oid[]) IS 'reads the casts of the given schemas'' types and functions as snapshot json';

-- CREATE TYPE … AS RANGE: the subtype and, where they are not the subtype's defaults, its
-- operator class and collation; the canonical and subtype_diff functions; the name of the
-- multirange type the range makes for itself (in its schema). The constructor functions it makes
-- are the range's: the functions list leaves them out.
CREATE FUNCTION ender._snapshot_range_types(schemas oid[]) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT json_agg(json_build_object(
               'schema', n.nspname, 'name', t.typname,
               'subtype', format_type(r.rngsubtype, NULL),
               'subtype_opclass', CASE WHEN NOT oc.opcdefault
                                  THEN quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) END,
               'collation', CASE WHEN r.rngcollation <> st.typcollation
                            THEN CASE WHEN cn.nspname = 'pg_catalog' THEN quote_ident(co.collname)
                                      ELSE quote_ident(cn.nspname) || '.' || quote_ident(co.collname) END END,
               'canonical', NULLIF(r.rngcanonical, 0)::regproc::text,
               'subtype_diff', NULLIF(r.rngsubdiff, 0)::regproc::text,
               'multirange', mt.typname,
               'comment', ds.description) ORDER BY n.nspname, t.typname) AS list
      FROM pg_range r
      JOIN pg_type t ON t.oid = r.rngtypid
      JOIN pg_namespace n ON n.oid = t.typnamespace
      JOIN pg_type st ON st.oid = r.rngsubtype
      JOIN pg_opclass oc ON oc.oid = r.rngsubopc
      JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace
      LEFT JOIN pg_collation co ON co.oid = r.rngcollation
      LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
      LEFT JOIN pg_type mt ON mt.oid = r.rngmultitypid
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_type'::regclass AND ds.objoid = t.oid AND ds.objsubid = 0
     WHERE t.typnamespace = ANY ($1)
       AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid
                                                 AND e.deptype = 'e')
    $$;
COMMENT ON FUNCTION ender._snapshot_range_types(oid[]) IS 'reads the range types of the given schemas as snapshot json';

-- CREATE TEXT SEARCH DICTIONARY objects: `options` as the server keeps them
-- (pg_ts_dict.dictinitoption, `name = 'value'` joined by commas), null without any.
CREATE FUNCTION ender._snapshot_text_search_dictionaries(schemas oid[]) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT json_agg(json_build_object(
               'schema', n.nspname, 'name', d.dictname,
               'template', CASE WHEN tn.nspname = 'pg_catalog' THEN quote_ident(t.tmplname)
                                ELSE quote_ident(tn.nspname) || '.' || quote_ident(t.tmplname) END,
               'options', d.dictinitoption,
               'comment', ds.description) ORDER BY n.nspname, d.dictname) AS list
      FROM pg_ts_dict d
      JOIN pg_namespace n ON n.oid = d.dictnamespace
      JOIN pg_ts_template t ON t.oid = d.dicttemplate
      JOIN pg_namespace tn ON tn.oid = t.tmplnamespace
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_ts_dict'::regclass AND ds.objoid = d.oid AND ds.objsubid = 0
     WHERE d.dictnamespace = ANY ($1)
       AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_ts_dict'::regclass AND e.objid = d.oid
                                                 AND e.deptype = 'e')
    $$;
COMMENT ON FUNCTION ender._snapshot_text_search_dictionaries(oid[]) IS 'reads the text search dictionaries of the given schemas as snapshot json';

-- CREATE TEXT SEARCH CONFIGURATION objects with their mappings: for each token type (by the
-- parser's alias, in token type order) the dictionaries tried in turn.
CREATE FUNCTION ender._snapshot_text_search_configurations(schemas oid[]) RETURNS json
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT json_agg(json_build_object(
               'schema', n.nspname, 'name', c.cfgname,
               'parser', CASE WHEN pn.nspname = 'pg_catalog' THEN quote_ident(p.prsname)
                              ELSE quote_ident(pn.nspname) || '.' || quote_ident(p.prsname) END,
               'mappings', (SELECT COALESCE(json_agg(json_build_object('token', tt.alias, 'dictionaries', m.list)
                                                     ORDER BY tt.tokid), '[]')
                              FROM (SELECT maptokentype, json_agg(mapdict::regdictionary::text ORDER BY mapseqno) AS list
                                      FROM pg_ts_config_map WHERE mapcfg = c.oid GROUP BY maptokentype) m
                              JOIN ts_token_type(c.cfgparser) tt ON tt.tokid = m.maptokentype),
               'comment', ds.description) ORDER BY n.nspname, c.cfgname) AS list
      FROM pg_ts_config c
      JOIN pg_namespace n ON n.oid = c.cfgnamespace
      JOIN pg_ts_parser p ON p.oid = c.cfgparser
      JOIN pg_namespace pn ON pn.oid = p.prsnamespace
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_ts_config'::regclass AND ds.objoid = c.oid AND ds.objsubid = 0
     WHERE c.cfgnamespace = ANY ($1)
       AND NOT EXISTS (SELECT FROM pg_depend e WHERE e.classid = 'pg_ts_config'::regclass AND e.objid = c.oid
                                                 AND e.deptype = 'e')
    $$;
COMMENT ON FUNCTION ender._snapshot_text_search_configurations(oid[]) IS 'reads the text search configurations of the given schemas as snapshot json';

-- Snapshots list collations (CREATE COLLATION objects of the schemas read).
CREATE OR REPLACE FUNCTION ender._snapshot_json(schemas text[]) RETURNS json
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
               -- the tables and views the view reads, each with the columns it reads (pg_depend
               -- through its rewrite rule: one entry per relation, one per column read)
               'depends_on', (SELECT COALESCE(jsonb_agg(jsonb_build_object('schema', dn.nspname, 'name', dc.relname,
                                                                           'columns', rd.columns)
                                                        ORDER BY dn.nspname, dc.relname), '[]')
                                FROM (SELECT d.refobjid,
                                             COALESCE(jsonb_agg(DISTINCT a.attname) FILTER (WHERE a.attname IS NOT NULL), '[]') AS columns
                                        FROM pg_rewrite rw
                                        JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = rw.oid
                                                        AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.oid
                                        LEFT JOIN pg_attribute a ON d.refobjsubid > 0 AND a.attrelid = d.refobjid
                                                                AND a.attnum = d.refobjsubid
                                       WHERE rw.ev_class = r.oid
                                       GROUP BY d.refobjid) rd
                                JOIN pg_class dc ON dc.oid = rd.refobjid
                                JOIN pg_namespace dn ON dn.oid = dc.relnamespace),
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
-- CREATE COLLATION objects (an ICU collation has its locale, a libc one its two locales).
collations AS (
    SELECT json_agg(json_build_object(
               'schema', n.nspname, 'name', c.collname,
               'provider', CASE c.collprovider WHEN 'i' THEN 'icu' WHEN 'c' THEN 'libc' ELSE 'default' END,
               'locale', CASE WHEN c.collprovider = 'i' THEN c.colliculocale END,
               'lc_collate', CASE WHEN c.collprovider = 'c' THEN c.collcollate END,
               'lc_ctype', CASE WHEN c.collprovider = 'c' THEN c.collctype END,
               'deterministic', c.collisdeterministic,
               'comment', ds.description) ORDER BY n.nspname, c.collname) AS list
      FROM pg_collation c
      JOIN pg_namespace n ON n.oid = c.collnamespace
      LEFT JOIN pg_description ds ON ds.classoid = 'pg_collation'::regclass AND ds.objoid = c.oid AND ds.objsubid = 0
     WHERE c.collnamespace IN (SELECT oid FROM ns)
       AND NOT EXISTS (SELECT FROM ext_member e WHERE e.classid = 'pg_collation'::regclass AND e.objid = c.oid)
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
       AND p.prokind <> 'a'  -- aggregates: ender._snapshot_aggregates
       AND NOT EXISTS (SELECT FROM ext_member e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid)
       -- a range type's constructors are the type's
       AND NOT EXISTS (SELECT FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass AND i.objid = p.oid
                                                 AND i.refclassid = 'pg_type'::regclass AND i.deptype = 'i')
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
    'collations', COALESCE((SELECT list FROM collations), '[]'),
    'enums', COALESCE((SELECT list FROM enums), '[]'),
    'domains', COALESCE((SELECT list FROM domains), '[]'),
    'composite_types', COALESCE((SELECT list FROM composites), '[]'),
    'range_types', COALESCE(ender._snapshot_range_types(covered), '[]'),
    'sequences', COALESCE((SELECT list FROM sequences), '[]'),
    'tables', COALESCE(ender._snapshot_tables(covered), '[]'),
    'views', COALESCE((SELECT list FROM views), '[]'),
    'functions', COALESCE((SELECT list FROM functions), '[]'),
    'aggregates', COALESCE(ender._snapshot_aggregates(covered), '[]'),
    'operators', COALESCE(ender._snapshot_operators(covered), '[]'),
    'casts', COALESCE(ender._snapshot_casts(covered), '[]'),
    'text_search_dictionaries', COALESCE(ender._snapshot_text_search_dictionaries(covered), '[]'),
    'text_search_configurations', COALESCE(ender._snapshot_text_search_configurations(covered), '[]'),
    'event_triggers', COALESCE((SELECT list FROM event_triggers), '[]')));
END
$$;

-- Range types carry their privileges too.
CREATE OR REPLACE FUNCTION ender._with_privileges(doc jsonb) RETURNS jsonb
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
      FROM unnest(ARRAY['enums', 'domains', 'composite_types', 'range_types']) AS e(key)
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

-- Issue 22 (docs/benchmarks.md): ender_snapshot() converts its json text to jsonb with simdjson.
CREATE FUNCTION ender._jsonb(doc json) RETURNS jsonb
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE
    AS 'MODULE_PATHNAME', 'ender_json_to_jsonb';
COMMENT ON FUNCTION ender._jsonb(json) IS 'converts json text to jsonb as the cast does';
CREATE OR REPLACE FUNCTION ender_snapshot(schemas text[] DEFAULT NULL, privileges boolean DEFAULT false) RETURNS jsonb
    LANGUAGE sql STABLE CALLED ON NULL INPUT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT CASE WHEN privileges THEN ender._with_privileges(ender._jsonb(ender._snapshot_json(schemas)))
                ELSE ender._jsonb(ender._snapshot_json(schemas)) END
    $$;
-- ender_diff(jsonb) and ender_check(jsonb) read the jsonb document itself instead of its text.
CREATE FUNCTION ender._diff_live(target jsonb, online boolean,
        OUT step integer, OUT sql text, OUT reverse_sql text, OUT object_kind text,
        OUT object_name text, OUT hazards text[], OUT in_transaction boolean,
        OUT online_operation text)
    RETURNS SETOF record
    LANGUAGE c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    AS 'MODULE_PATHNAME', 'ender_diff_live_jsonb';
COMMENT ON FUNCTION ender._diff_live(jsonb, boolean) IS 'computes the steps from the live schema to a snapshot document given as jsonb';
CREATE OR REPLACE FUNCTION ender_diff(target jsonb, online boolean DEFAULT true,
        OUT step integer, OUT sql text, OUT reverse_sql text, OUT object_kind text,
        OUT object_name text, OUT hazards text[], OUT in_transaction boolean,
        OUT online_operation text)
    RETURNS SETOF record
    LANGUAGE sql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT d.* FROM ender._diff_live(target, online) d $$;
CREATE OR REPLACE FUNCTION ender_check(target jsonb) RETURNS boolean
    LANGUAGE sql VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT NOT EXISTS (SELECT FROM ender._diff_live(target, true)) $$;
-- The proof that the live side of ender_diff and ender_check, read from the catalogs straight
-- into the engine's structures (extension/src/glue/live_snapshot.cpp), is the snapshot the
-- engine parses from ender._snapshot_json: null when both are equal, else where they first
-- differ. For tests (test/diff/run.sh runs it on both sides of every pair).
CREATE FUNCTION ender._live_snapshot_mismatch(schemas text[] DEFAULT NULL) RETURNS text
    LANGUAGE c VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE
    AS 'MODULE_PATHNAME', 'ender_live_snapshot_mismatch';
COMMENT ON FUNCTION ender._live_snapshot_mismatch(text[]) IS 'tells where the live snapshot read into structures differs from the parsed document';
