#!/usr/bin/env bash
# ALTER EXTENSION ender UPDATE on a database in use: from the oldest version (0.1), revisions
# registered and applied, a failed attempt logged, an online revision run to completion and a
# second one still backfilling. After the update the revisions, the applied position and the
# log are as they were, the running job completes, and new revisions register, apply and undo.
# Then a pg_dump/restore round trip of the updated database keeps all of it.
# Runs inside pg_virtualenv (scripts/test-in-cluster.sh).
set -euo pipefail
db=ender_update
dst=ender_update_restored
oldest=${ENDER_OLDEST_VERSION:-0.1}
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --force --if-exists "$db"; dropdb --force --if-exists "$dst"' EXIT
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# Polls (one transaction per look) until the job of revision $2 in database $1 is ready.
wait_ready() {
    local phase= deadline=$((SECONDS + 300))
    while [ "$SECONDS" -lt "$deadline" ]; do
        phase=$(psql -X -A -t -d "$1" -c "SELECT phase FROM ender.online_job WHERE revision_id = '$2'")
        [ "$phase" = ready ] && return
        [ "$phase" = failed ] && fail "$2 failed: $(psql -X -A -t -d "$1" -c "SELECT last_error FROM ender.online_job")"
        sleep 0.05
    done
    fail "$2: not ready after five minutes (phase $phase)"
}
# Polls until SQL returns t in $db; fails after five minutes, saying WHAT.
until_true() {
    local deadline=$((SECONDS + 300))
    until [ "$(q -c "$1")" = t ]; do
        [ "$SECONDS" -lt "$deadline" ] || fail "$2"
        sleep 0.05
    done
}

dropdb --if-exists "$db"; dropdb --if-exists "$dst"
createdb "$db"
q -c "CREATE EXTENSION ender VERSION '$oldest'"
[ "$(q -c "SELECT extversion FROM pg_extension WHERE extname = 'ender'")" = "$oldest" ] || fail "$oldest not installed"
latest=$(q -c "SELECT default_version FROM pg_available_extensions WHERE name = 'ender'")
[ "$latest" != "$oldest" ] || fail "the default version is still $oldest"

q >/dev/null <<'SQL'
SELECT ender_register(id => 'u1', parents => '{}', message => 'create item',
                      upgrade => 'CREATE TABLE item (id int PRIMARY KEY, qty int NOT NULL, note text)',
                      downgrade => 'DROP TABLE item');
SELECT ender_register(id => 'u2', parents => '{u1}', branch_label => 'main',
                      upgrade => 'INSERT INTO item SELECT g, g % 100, ''n'' || g FROM generate_series(1, 20000) g',
                      downgrade => 'DELETE FROM item');
SELECT * FROM ender_upgrade('u2');
SELECT ender_register(id => 'u3', parents => '{u2}', upgrade => 'SELECT 1/0');
SQL
q -c "CALL ender_upgrade_logged('u3')" 2>/dev/null && fail "u3 should have failed"
q -c "SELECT ender_register(id => 'u3', parents => '{u2}', upgrade => 'ALTER TABLE item ADD price int',
                            downgrade => 'ALTER TABLE item DROP price', replace => true)" >/dev/null
q -c "SELECT * FROM ender_upgrade('u3')" >/dev/null

# An online revision run to completion...
q -c "SELECT ender_register(\$f\$-- ender:revision o1
-- ender:parents u3
-- ender:online alter_column item qty type bigint using (qty::bigint * 10) down ((qty / 10)::integer)
-- ender:upgrade
\$f\$)" >/dev/null
q -c "SET ender.backfill_batch_size = 5000; SET ender.backfill_pause = 0; SELECT ender_upgrade()" >/dev/null
wait_ready "$db" o1
q -c "SELECT ender_complete('o1')" >/dev/null
[ "$(q -c "SELECT sum(qty) FROM item")" = 9900000 ] || fail "o1 did not multiply qty by 10"
# ...and another one still backfilling when the extension is updated (small, slow batches).
q -c "SELECT ender_register(\$f\$-- ender:revision o2
-- ender:parents o1
-- ender:online alter_column item qty type numeric using (qty::numeric) down (qty::bigint)
-- ender:upgrade
\$f\$)" >/dev/null
q -c "SET ender.backfill_batch_size = 100; SET ender.backfill_pause = '50ms'; SELECT ender_upgrade()" >/dev/null
until_true "SELECT phase = 'backfill' FROM ender.online_job WHERE revision_id = 'o2'" "o2 is not backfilling"
# It must still be backfilling when the extension is updated, however slow the machine: a
# reader holding a SHARE lock on item holds its batches back (they retry under
# ender.lock_timeout) while the state is read, and goes just before the update (which would
# otherwise wait for the worker's transaction, itself waiting for the reader); the ~150 batches
# left, 50 ms apart, cannot all run before the next statement.
PGAPPNAME=update_blocker psql -X -q -d "$db" -c "BEGIN; LOCK TABLE item IN SHARE MODE; SELECT pg_sleep(600)" >/dev/null 2>&1 &
blocker=$!
until_true "SELECT count(*) = 1 FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'update_blocker' AND l.mode = 'ShareLock' AND l.granted" \
    "the blocker did not get its SHARE lock on item"

# ender's state, read through the columns the old version has (a newer one may add columns).
columns() {
    q -c "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
          WHERE attrelid = 'ender.$1'::regclass AND attnum > 0 AND NOT attisdropped ${2:-}"
}
revision_cols=$(columns revision)
applied_cols=$(columns applied)
log_cols=$(columns log)
# The job's settings and identity, not its moving progress.
job_cols=$(columns online_job "AND attname NOT IN ('phase', 'rows_done', 'rows_total', 'batches', 'last_key',
    'lock_retries', 'backfill_started_at', 'ready_at', 'updated_at', 'worker_pid', 'last_error', 'last_error_at',
    'started_by', 'owner')")  # 0.1's started_by (a name) is 0.2's owner (a role): compared below
state() {
    psql -X -A -t -v ON_ERROR_STOP=1 -d "$1" <<SQL
SELECT 'revision', row($revision_cols)::text FROM ender.revision ORDER BY seq;
SELECT 'applied', row($applied_cols)::text FROM ender.applied ORDER BY seq;
SELECT 'log', row($log_cols)::text FROM ender.log ORDER BY id;
SELECT 'job', row($job_cols)::text FROM ender.online_job ORDER BY id;
SELECT 'current', string_agg(c, ',' ORDER BY c) FROM ender_current() c;
SELECT 'item', count(*), sum(qty) FROM item;
SQL
}
state "$db" >"$work/before.txt"
[ "$(grep -c '^revision|' "$work/before.txt")" = 5 ] || fail "expected 5 revisions before the update"
grep -q '^log|.*,failed,' "$work/before.txt" || fail "the failed attempt is not in the log"
rows_before=$(q -c "SELECT rows_done FROM ender.online_job WHERE revision_id = 'o2'")
owner_before=$(q -c "SELECT to_jsonb(j) ->> 'started_by' FROM ender.online_job j WHERE revision_id = 'o2'")

q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'update_blocker'" >/dev/null
wait "$blocker" 2>/dev/null || true
q -c "ALTER EXTENSION ender UPDATE"
[ "$(q -c "SELECT extversion FROM pg_extension WHERE extname = 'ender'")" = "$latest" ] ||
    fail "ALTER EXTENSION ender UPDATE did not reach $latest"
state "$db" >"$work/after.txt"
diff -u "$work/before.txt" "$work/after.txt" || fail "ender's state changed with the update"
[ "$(q -c "SELECT owner::text FROM ender.online_job WHERE revision_id = 'o2'")" = "$owner_before" ] ||
    fail "the running job's started_by ($owner_before) did not become its owner"
echo "   $oldest -> $latest: revisions, applied, log and the running job kept"

# The job that was running goes on and completes.
wait_ready "$db" o2
rows_after=$(q -c "SELECT rows_done FROM ender.online_job WHERE revision_id = 'o2'")
[ "$rows_after" = 20000 ] || fail "o2 backfilled $rows_after rows, expected 20000"
[ "$rows_before" -lt 20000 ] || fail "o2 had already finished before the update: the test proves nothing"
q -c "SELECT ender_complete('o2')" >/dev/null
[ "$(q -c "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'item'::regclass AND attname = 'qty'")" = numeric ] ||
    fail "item.qty is not numeric after o2 completed"
[ "$(q -c "SELECT sum(qty) FROM item")" = 9900000 ] || fail "o2 changed the values of qty"
echo "   the online job running during the update completed ($rows_before rows before, $rows_after after)"

# The updated database goes on: register, apply, undo, apply again.
q >/dev/null <<'SQL'
SELECT ender_register(id => 'u4', parents => '{o2}', upgrade => 'CREATE INDEX item_note ON item (note)',
                      downgrade => 'DROP INDEX item_note');
SELECT * FROM ender_upgrade();
SELECT * FROM ender_downgrade('-1');
SELECT * FROM ender_upgrade();
SQL
[ "$(q -c "SELECT string_agg(c, ',') FROM ender_current() c")" = u4 ] || fail "u4 is not current"
[ "$(q -c "SELECT count(*) FROM ender_history() WHERE revision = 'u4'")" = 3 ] || fail "u4's history is not 3 rows"

# pg_dump and restore of the updated database: the same state, and it keeps working.
pg_dump -d "$db" -f "$work/dump.sql"
grep -q "CREATE EXTENSION IF NOT EXISTS ender" "$work/dump.sql" || fail "the dump does not create the extension"
createdb "$dst"
psql -X -q -v ON_ERROR_STOP=1 -d "$dst" -f "$work/dump.sql" >/dev/null
[ "$(psql -X -A -t -d "$dst" -c "SELECT extversion FROM pg_extension WHERE extname = 'ender'")" = "$latest" ] ||
    fail "the restored database does not hold $latest"
state "$db" >"$work/src.txt"
state "$dst" >"$work/dst.txt"
diff -u "$work/src.txt" "$work/dst.txt" || fail "the restored database differs"
psql -X -q -v ON_ERROR_STOP=1 -d "$dst" >/dev/null <<'SQL'
SELECT ender_register(id => 'u5', parents => '{u4}', upgrade => 'ALTER TABLE item ADD tag text',
                      downgrade => 'ALTER TABLE item DROP tag');
SELECT * FROM ender_upgrade();
SQL
[ "$(psql -X -A -t -d "$dst" -c "SELECT string_agg(c, ',') FROM ender_current() c")" = u5 ] ||
    fail "the restored database does not apply a new revision"
echo "   update: ok (pg_dump/restore of the updated database identical, and it applies u5)"
