#!/usr/bin/env bash
# Issue 16, item 2: ender's tables are writable by the extension's owner only. A member of
# ender_admin (nothing else) tries to forge a job that runs as a superuser, to change a running
# job's operation, a reviewed revision's SQL, the log and the applied position, and to pick the
# pid ender_rollback signals: every write is refused with 42501, and ender_resume starts no
# worker for a job it does not own. It stays what it was: not a superuser.
. "$(dirname "$0")/lib.sh"

as deployer >/dev/null <<'SQL'
CREATE TABLE item (id int PRIMARY KEY, code text);
INSERT INTO item SELECT g, 'c' || g FROM generate_series(1, 100) g;
SELECT ender_register($f$-- ender:revision r1
-- ender:upgrade
CREATE INDEX item_code ON item (code);
$f$);
SQL

echo "   direct writes to ender's tables, as a member of ender_admin"
refused 42501 deployer "INSERT INTO ender.online_job (revision_id, operation, table_schema, table_name, phase, batch_size, batch_pause_ms, lock_timeout_ms, search_path, owner) VALUES ('r1', 'custom', '', '', 'expand', 1, 1, 1, 'public', 'postgres')"
refused 42501 deployer "UPDATE ender.revision SET upgrade_sql = 'ALTER ROLE deployer SUPERUSER'"
refused 42501 deployer "UPDATE ender.revision SET checksum = 'x'"
refused 42501 deployer "DELETE FROM ender.revision"
refused 42501 deployer "INSERT INTO ender.applied VALUES ('r1', 1, now(), 'postgres')"
refused 42501 deployer "DELETE FROM ender.applied"
refused 42501 deployer "INSERT INTO ender.log (operation, outcome, started_at, duration, run_by) VALUES ('upgrade', 'ok', now(), '0', 'postgres')"
refused 42501 deployer "UPDATE ender.log SET run_by = 'postgres'"
refused 42501 deployer "DELETE FROM ender.log"
refused 42501 deployer "UPDATE ender.state SET generation = 0"
refused 42501 deployer "TRUNCATE ender.log"

echo "   a forged job naming a superuser, then ender_resume"
# The row only the owner could write: the superuser plays "anyone who could write the table".
q >/dev/null <<'SQL'
SELECT ender_register($f$-- ender:revision forged
-- ender:expand
ALTER ROLE deployer SUPERUSER;
-- ender:backfill
SELECT nextval('public.canary') WHERE false;
-- ender:rollback
$f$);
SQL
refused 42501 deployer "INSERT INTO ender.online_job (revision_id, operation, table_schema, table_name, phase, batch_size, batch_pause_ms, lock_timeout_ms, search_path, owner) SELECT 'forged', online, '', '', 'expand', 1, 1, 1, 'public', 'postgres' FROM ender.revision WHERE id = 'forged'"
q -c "INSERT INTO ender.online_job (revision_id, operation, table_schema, table_name, phase, batch_size, batch_pause_ms, lock_timeout_ms, search_path, owner) SELECT 'forged', online, '', '', 'expand', 1, 1, 1, 'public', 'postgres' FROM ender.revision WHERE id = 'forged'"
same "$(as deployer -c "SELECT ender_resume()")" 0 "ender_resume starts no worker for a job deployer does not own"
sleep 1
same "$(superuser deployer)" f "deployer is not a superuser"
same "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'ender online worker'")" 0 "no worker runs"
q -c "DELETE FROM ender.online_job" >/dev/null

echo "   reading: sources for ender_admin, not for an application role"
same "$(as deployer -c "SELECT upgrade FROM ender_show('r1')")" "CREATE INDEX item_code ON item (code);" "ender_admin reads the sources"
same "$(as app -c "SELECT upgrade IS NULL AND source IS NULL AND id = 'r1' FROM ender_show('r1')")" t "app sees the revision without its sources"
refused 42501 app "SELECT upgrade_sql FROM ender.revision"
same "$(as app -c "SELECT count(*) FROM ender.revision")" 2 "app may count revisions"
echo "   test/security/tables.sh: passed"
