#!/usr/bin/env bash
# The worker is killed mid-backfill (pg_terminate_backend): the postmaster starts it again,
# it resumes from the last committed batch, and every row ends in step, none counted twice
# or missed. Then killed while it builds a unique index CONCURRENTLY: the build leaves an
# invalid index, which the restarted worker drops and builds again, while CALL ender_wait waits
# through the build. Runs inside
# pg_virtualenv (test/online/run.sh).
set -euo pipefail

db=ender_online_faults
trap 'dropdb --if-exists "$db"' EXIT
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
rows=200000
new_worker() {  # the pid of the worker that replaces pid $1 (the postmaster restarts it)
    for _ in $(seq 1 500); do
        p=$(q -c "SELECT worker_pid FROM ender.online_job WHERE worker_pid <> $1")
        [ -n "$p" ] && { echo "$p"; return; }
        sleep 0.02
    done
    fail "no new worker after pid $1 was killed"
}

dropdb --if-exists "$db"; createdb "$db"
q >/dev/null <<SQL
CREATE EXTENSION ender;
CREATE TABLE item (id bigint PRIMARY KEY, qty integer NOT NULL);
INSERT INTO item SELECT g, g % 977 FROM generate_series(1, $rows) g;
SELECT ender_register(\$file\$-- ender:revision ft1
-- ender:online alter_column item qty type bigint using (qty::bigint * 3) down ((qty / 3)::integer)
-- ender:upgrade
\$file\$);
SET ender.backfill_batch_size = 1000;
SET ender.backfill_pause = '10ms';
SELECT ender_upgrade();
SQL

for _ in $(seq 1 600); do
    done_rows=$(q -c "SELECT rows_done FROM ender.online_job")
    [ "$done_rows" -ge 30000 ] && break
    sleep 0.02
done
pid=$(q -c "SELECT worker_pid FROM ender.online_job")
[ "$(q -c "SELECT pg_terminate_backend($pid)")" = t ] || fail "could not terminate the worker"
at=$(q -c "SELECT rows_done FROM ender.online_job")
[ "$at" -lt "$rows" ] || fail "the backfill ended before the worker was killed"
new_pid=$(new_worker "$pid")
[ "$(q -c "CALL ender_wait('ft1', '2 minutes')")" = ready ] || fail "job not ready after the kill"
[ -z "$(q -c "SELECT worker_pid FROM ender.online_job")" ] || fail "the pid of a worker that ended is kept"
read -r done_rows batches <<<"$(q -F ' ' -c "SELECT rows_done, batches FROM ender.online_job")"
[ "$done_rows" = "$rows" ] || fail "rows_done is $done_rows after the kill, expected $rows"
[ "$batches" = $((rows / 1000)) ] || fail "$batches batches, expected $((rows / 1000))"
bad=$(q -c "SELECT count(*) FROM item WHERE _ender_new_qty IS DISTINCT FROM qty::bigint * 3")
[ "$bad" = 0 ] || fail "$bad rows out of step after the kill"
q -c "SELECT ender_complete('ft1')" >/dev/null
[ "$(q -c "SELECT count(*) FROM item WHERE qty <> (id % 977) * 3")" = 0 ] || fail "wrong values after complete"
echo "   worker killed at $at of $rows rows: resumed by pid $new_pid, $done_rows rows in $batches batches: ok"

# A unique index built CONCURRENTLY waits for a transaction older than it (a REPEATABLE READ
# snapshot held for 3 s); the worker is killed meanwhile, leaving the index invalid.
q -c "SELECT ender_register(\$file\$-- ender:revision ft2
-- ender:parents ft1
-- ender:online add_unique item item_id_qty_key (id, qty)
-- ender:upgrade
\$file\$)" >/dev/null
hold_snapshot() {  # a transaction older than the build, for ${1:-3} s, in the background
    q -c "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1; SELECT pg_sleep(${1:-3}); COMMIT;" >/dev/null 2>&1 &
    holder=$!
    for _ in $(seq 1 100); do
        [ "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'BEGIN ISOLATION%' AND state = 'active'")" = 1 ] && return
        sleep 0.02
    done
}
wait_invalid() {  # until the build has made index $1 and waits, the index not valid yet
    for _ in $(seq 1 500); do
        [ "$(q -c "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('$1') AND NOT indisvalid")" = 1 ] && return
        sleep 0.02
    done
    fail "no invalid index $1 while the build waits"
}
hold_snapshot
q -c "SELECT ender_upgrade()" >/dev/null
wait_invalid item_id_qty_key
pid=$(q -c "SELECT worker_pid FROM ender.online_job")
[ "$(q -c "SELECT pg_terminate_backend($pid)")" = t ] || fail "could not terminate the worker"
new_pid=$(new_worker "$pid")
# CALL ender_wait commits between polls: it waits through the build (which waits for every
# older transaction) instead of holding it up.
phase=$(q -c "CALL ender_wait('ft2', '2 minutes')")
wait "$holder"
[ "$phase" = ready ] || fail "key not ready after the kill: $phase, $(q -c "SELECT last_error FROM ender.online_job")"
[ "$(q -c "SELECT count(*) FROM pg_index WHERE indrelid = 'item'::regclass AND indisvalid")" = 2 ] ||
    fail "expected the primary key and one valid index: $(q -c "SELECT string_agg(indexrelid::regclass || ' ' || indisvalid, ', ') FROM pg_index WHERE indrelid = 'item'::regclass")"
[ "$(q -c "SELECT count(*) FROM pg_index WHERE indrelid = 'item'::regclass")" = 2 ] || fail "an invalid index is left"
q -c "SELECT ender_complete('ft2')" >/dev/null
[ "$(q -c "SELECT contype FROM pg_constraint WHERE conname = 'item_id_qty_key'")" = u ] || fail "no unique constraint after complete"
echo "   worker killed while its index build waited: invalid index dropped, built again by pid $new_pid: ok"

# Rollback while the build waits for older transactions, the rollback's own among them: the
# build is cancelled, its invalid index dropped, and rollback returns while the older
# transaction (held for 10 minutes) is still open: it did not wait for it.
q -c "SELECT ender_register(\$file\$-- ender:revision ft3
-- ender:parents ft2
-- ender:online add_unique item item_qty_key (qty, id)
-- ender:upgrade
\$file\$)" >/dev/null
hold_snapshot 600
q -c "SELECT ender_upgrade()" >/dev/null
wait_invalid item_qty_key
PGOPTIONS='-c statement_timeout=5min' q -c "SELECT ender_rollback('ft3')" >/dev/null
holders="SELECT pid FROM pg_stat_activity WHERE query LIKE 'BEGIN ISOLATION%' AND state = 'active'"
[ -n "$(q -c "$holders")" ] || fail "rollback returned only after the older transaction ended: it waited for the build"
q -c "SELECT pg_terminate_backend(pid) FROM ($holders) h" >/dev/null
wait "$holder" || true
[ "$(q -c "SELECT count(*) FROM pg_class WHERE relname = 'item_qty_key'")" = 0 ] || fail "rollback left the index"
echo "   rollback while the index build waited for an open transaction returned before it ended, nothing left: ok"
