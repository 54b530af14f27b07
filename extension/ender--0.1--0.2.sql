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
DROP FUNCTION ender_history();
CREATE FUNCTION ender_history(
        OUT id bigint, OUT revision text, OUT operation text, OUT stamped boolean,
        OUT outcome text, OUT started_at timestamptz, OUT duration interval, OUT run_by name,
        OUT statements integer, OUT message text, OUT target text, OUT error_sqlstate text,
        OUT error_message text, OUT error_detail text, OUT error_hint text,
        OUT error_context text, OUT lock_retries integer)
    RETURNS SETOF record
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT l.id, l.revision_id, l.operation, l.stamped, l.outcome, l.started_at, l.duration,
           l.run_by, l.statements, r.message, l.target, l.error_sqlstate, l.error_message,
           l.error_detail, l.error_hint, l.error_context, l.lock_retries
      FROM ender.log l LEFT JOIN ender.revision r ON r.id = l.revision_id
     ORDER BY l.id
    $$;
COMMENT ON FUNCTION ender_history() IS 'lists every revision applied, undone or stamped, and every logged failure';

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
        SELECT j.phase, j.last_error INTO job
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
                      DETAIL = job.last_error,
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
