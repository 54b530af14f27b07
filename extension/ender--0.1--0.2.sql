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

-- ender_status() reports the replication lag of subscribers and standbys (a new column).
DROP FUNCTION ender_status();
CREATE FUNCTION ender_status(
        OUT revision text, OUT operation text, OUT phase text, OUT rows_done bigint,
        OUT rows_total bigint, OUT percent numeric, OUT rows_per_second numeric,
        OUT eta interval, OUT batches bigint, OUT lock_retries bigint, OUT worker_running boolean,
        OUT started_at timestamptz, OUT updated_at timestamptz, OUT last_error text,
        OUT last_error_at timestamptz, OUT replication_lag_bytes bigint)
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
           j.started_at, j.updated_at, j.last_error, j.last_error_at,
           -- WAL the furthest-behind subscriber or standby has not applied (docs/replication.md)
           CASE WHEN NOT pg_is_in_recovery() THEN
                (SELECT max(pg_wal_lsn_diff(pg_current_wal_lsn(), COALESCE(r.replay_lsn, r.flush_lsn)))::bigint
                   FROM pg_stat_replication r) END
      FROM ender.online_job j
     CROSS JOIN LATERAL (
           SELECT round(j.rows_done / NULLIF(extract(epoch FROM COALESCE(j.ready_at, j.updated_at) - j.backfill_started_at), 0), 1)
                  AS per_second) rate
     CROSS JOIN (SELECT CASE WHEN has_function_privilege('pg_catalog.ender_resume()', 'EXECUTE')
                             THEN ender_resume() END) resumed
     ORDER BY j.id
    $$;
COMMENT ON FUNCTION ender_status() IS 'shows every online revision in progress: phase, rows done, rate, time left, last error, replication lag';
