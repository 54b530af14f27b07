#!/usr/bin/env bash
# Issue 16, item 5: ender_rollback signals only the job's own worker, found from the lock it
# holds, never from a column: a pid written into ender.online_job (by the only role that can,
# the owner) names an innocent session, which ender_rollback leaves alone while it cancels the
# real worker's index build and ends the job. The pid column is cleared when a worker ends.
. "$(dirname "$0")/lib.sh"

as deployer >/dev/null <<'SQL'
CREATE TABLE item (id int PRIMARY KEY, code text);
INSERT INTO item SELECT g, 'c' || g FROM generate_series(1, 1000) g;
SELECT ender_register($f$-- ender:revision k1
-- ender:online add_unique item item_code_key (code)
-- ender:upgrade
$f$);
SQL

# hold_snapshot: a transaction older than the index build, which makes the build wait, until
# release_snapshot ends it.
hold_snapshot() {
    PGAPPNAME=snapshot q -c "BEGIN ISOLATION LEVEL REPEATABLE READ" -c "SELECT 1" -c "SELECT pg_sleep(3600)" >/dev/null 2>&1 &
    holder=$!
    wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'snapshot' AND query = 'SELECT pg_sleep(3600)' AND state = 'active'" 1
}
release_snapshot() {
    q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'snapshot'" >/dev/null
    wait "$holder" 2>/dev/null || true
}

# An innocent session (a superuser's), which runs until cancelled, and the older transaction.
PGAPPNAME=innocent q -c "SELECT pg_sleep(3600)" >/dev/null 2>&1 &
sleeper=$!
wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'innocent' AND state = 'active'" 1
innocent=$(q -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'innocent'")
hold_snapshot
as deployer -c "SELECT ender_upgrade()" >/dev/null
wait_for "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('item_code_key') AND NOT indisvalid" 1
worker=$(q -c "SELECT worker_pid FROM ender.online_job")
q -c "UPDATE ender.online_job SET worker_pid = $innocent" >/dev/null

echo "   rollback during the index build, the pid column pointing at another session"
same "$(as deployer -c "SELECT ender_rollback('k1')")" k1 "ender_rollback"
same "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE pid = $innocent AND state = 'active'")" 1 "the innocent session still runs"
same "$(q -c "SELECT count(*) FROM ender.online_job")|$(q -c "SELECT count(*) FROM pg_class WHERE relname = 'item_code_key'")" "0|0" "the job ended, its index dropped"
wait_for "SELECT count(*) FROM pg_stat_activity WHERE pid = $worker" 0
release_snapshot
q -c "SELECT pg_cancel_backend($innocent)" >/dev/null
wait "$sleeper" 2>/dev/null || true

echo "   another deployer may not cancel deployer's worker"
hold_snapshot
as deployer -c "SELECT ender_upgrade()" >/dev/null
wait_for "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('item_code_key') AND NOT indisvalid" 1
refused 42501 other_deployer "SELECT ender_rollback('k1')"
release_snapshot
wait_for "SELECT phase FROM ender.online_job" ready
same "$(q -c "SELECT worker_pid IS NULL FROM ender.online_job")" t "the pid is cleared when the worker ends"
as deployer -c "SELECT ender_complete('k1')" >/dev/null
echo "   test/security/rollback.sh: passed"
