#!/usr/bin/env bash
# The worker is killed mid-backfill (pg_terminate_backend), once in its pause between batches
# and once in the middle of a batch held back by a row another session locks: the postmaster
# starts it again, it resumes from the last committed batch, and every row ends in step, none
# counted twice or missed. Then killed while it builds a unique index CONCURRENTLY: the build
# leaves an invalid index, which the restarted worker drops and builds again, while CALL
# ender_wait waits through the build. The sessions in the way hold until released (lib.sh).
# Runs inside pg_virtualenv (test/online/run.sh).
set -euo pipefail

db=ender_online_faults
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --force --if-exists "$db"' EXIT
rows=200000
worker="SELECT pid FROM pg_stat_activity WHERE backend_type = 'ender online worker' LIMIT 1"
new_worker() {  # the pid of the worker that replaces pid $1 (the postmaster restarts it)
    wait_for "SELECT worker_pid IS NOT NULL AND worker_pid <> $1 FROM ender.online_job" t "a new worker after pid $1 was killed"
    q -c "SELECT worker_pid FROM ender.online_job"
}
kill_worker() {  # pid $1
    same "$(q -c "SELECT pg_terminate_backend($1)")" t "terminating the worker"
}

dropdb --force --if-exists "$db"; createdb "$db"
# Batches of 1,000 rows a minute apart (the longest ender.backfill_pause): after the first one
# the worker pauses.
q >/dev/null <<SQL
CREATE EXTENSION ender;
CREATE TABLE item (id bigint PRIMARY KEY, qty integer NOT NULL);
INSERT INTO item SELECT g, g % 977 FROM generate_series(1, $rows) g;
SELECT ender_register(\$file\$-- ender:revision ft1
-- ender:online alter_column item qty type bigint using (qty::bigint * 3) down ((qty / 3)::integer)
-- ender:upgrade
\$file\$);
SET ender.backfill_batch_size = 1000;
SET ender.backfill_pause = '1min';
SELECT ender_upgrade();
SQL
wait_for "SELECT batches >= 1 FROM ender.online_job" t "the first batch"
# Killed in its pause; the next worker takes 10 ms pauses, and the batch of rows 30001 to
# 31000 waits (retrying under ender.lock_timeout) for a row another session holds.
hold gate "SELECT id FROM item WHERE id = 30500 FOR UPDATE"
q -c "UPDATE ender.online_job SET batch_pause_ms = 10" >/dev/null
pid=$(q -c "SELECT worker_pid FROM ender.online_job")
kill_worker "$pid"
paused_pid=$pid
pid=$(new_worker "$pid")
wait_for "SELECT rows_done FROM ender.online_job" 30000 "the batches before the held row"
wait_attempts "$worker" 1
# Killed in the middle of that batch (its transaction open), then the row is let go.
kill_worker "$pid"
at=$(q -c "SELECT rows_done FROM ender.online_job")
same "$at" 30000 "rows done when the worker was killed mid-batch"
release gate
new_pid=$(new_worker "$pid")
same "$(q -c "CALL ender_wait('ft1', '5 minutes')")" ready "the job after the kills"
[ -z "$(q -c "SELECT worker_pid FROM ender.online_job")" ] || fail "the pid of a worker that ended is kept"
read -r done_rows batches <<<"$(q -F ' ' -c "SELECT rows_done, batches FROM ender.online_job")"
[ "$done_rows" = "$rows" ] || fail "rows_done is $done_rows after the kill, expected $rows"
[ "$batches" = $((rows / 1000)) ] || fail "$batches batches, expected $((rows / 1000))"
bad=$(q -c "SELECT count(*) FROM item WHERE _ender_new_qty IS DISTINCT FROM qty::bigint * 3")
[ "$bad" = 0 ] || fail "$bad rows out of step after the kill"
q -c "SELECT ender_complete('ft1')" >/dev/null
[ "$(q -c "SELECT count(*) FROM item WHERE qty <> (id % 977) * 3")" = 0 ] || fail "wrong values after complete"
echo "   worker killed in its pause (pid $paused_pid) and mid-batch at $at (pid $pid): resumed by pid $new_pid, $done_rows rows in $batches batches: ok"

# A unique index built CONCURRENTLY waits for a transaction older than it (a REPEATABLE READ
# snapshot held until released); the worker is killed meanwhile, leaving the index invalid.
q -c "SELECT ender_register(\$file\$-- ender:revision ft2
-- ender:parents ft1
-- ender:online add_unique item item_id_qty_key (id, qty)
-- ender:upgrade
\$file\$)" >/dev/null
hold_snapshot() {  # a transaction older than the build, until release snapshot
    hold snapshot "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ" "SELECT 1"
}
wait_invalid() {  # until the build has made index $1 and waits, the index not valid yet
    wait_for "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('$1') AND NOT indisvalid" 1 "an invalid index $1 while the build waits"
}
hold_snapshot
q -c "SELECT ender_upgrade()" >/dev/null
wait_invalid item_id_qty_key
first_build=$(q -c "SELECT 'item_id_qty_key'::regclass::oid")
pid=$(q -c "SELECT worker_pid FROM ender.online_job")
kill_worker "$pid"
new_pid=$(new_worker "$pid")
# The new worker drops the invalid index and builds it again, which waits for the snapshot too.
wait_for "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('item_id_qty_key') AND indexrelid <> $first_build AND NOT indisvalid" 1 "the index built again, waiting"
# CALL ender_wait commits between polls: it waits through the build (which waits for every
# older transaction) instead of holding it up.
PGAPPNAME=waiter q -c "CALL ender_wait('ft2', '5 minutes')" >"$work/wait.out" 2>&1 &
waiter=$!
wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'waiter' AND query LIKE 'CALL ender_wait%'" 1 "ender_wait running"
release snapshot
wait "$waiter" || fail "ender_wait failed: $(cat "$work/wait.out")"
phase=$(cat "$work/wait.out")
[ "$phase" = ready ] || fail "key not ready after the kill: $phase, $(q -c "SELECT last_error FROM ender.online_job")"
[ "$(q -c "SELECT count(*) FROM pg_index WHERE indrelid = 'item'::regclass AND indisvalid")" = 2 ] ||
    fail "expected the primary key and one valid index: $(q -c "SELECT string_agg(indexrelid::regclass || ' ' || indisvalid, ', ') FROM pg_index WHERE indrelid = 'item'::regclass")"
[ "$(q -c "SELECT count(*) FROM pg_index WHERE indrelid = 'item'::regclass")" = 2 ] || fail "an invalid index is left"
q -c "SELECT ender_complete('ft2')" >/dev/null
[ "$(q -c "SELECT contype FROM pg_constraint WHERE conname = 'item_id_qty_key'")" = u ] || fail "no unique constraint after complete"
echo "   worker killed while its index build waited: invalid index dropped, built again by pid $new_pid: ok"

# Rollback while the build waits for older transactions, the rollback's own among them: the
# build is cancelled, its invalid index dropped, and rollback returns while the older
# transaction (held until released) is still open: it did not wait for it.
q -c "SELECT ender_register(\$file\$-- ender:revision ft3
-- ender:parents ft2
-- ender:online add_unique item item_qty_key (qty, id)
-- ender:upgrade
\$file\$)" >/dev/null
hold_snapshot
q -c "SELECT ender_upgrade()" >/dev/null
wait_invalid item_qty_key
PGOPTIONS='-c statement_timeout=5min' q -c "SELECT ender_rollback('ft3')" >/dev/null
same "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'snapshot' AND backend_xmin IS NOT NULL")" 1 "the older transaction when rollback returned"
release snapshot
[ "$(q -c "SELECT count(*) FROM pg_class WHERE relname = 'item_qty_key'")" = 0 ] || fail "rollback left the index"
echo "   rollback while the index build waited for an open transaction returned before it ended, nothing left: ok"
