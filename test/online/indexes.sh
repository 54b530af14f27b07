#!/usr/bin/env bash
# Online indexes (create_index, drop_index) against their faults: CALL ender_wait through a
# build that waits for an older transaction; the worker killed mid-build (pg_terminate_backend),
# after which the restarted worker drops the invalid index and builds it again; a rollback
# mid-build that leaves no index, valid or not; a drop_index whose rollback is refused once
# the index is gone; application writes through all of it, none failing. Runs inside
# pg_virtualenv (test/online/run.sh).
set -euo pipefail

db=ender_online_indexes
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --force --if-exists "$db"' EXIT
rows=200000
new_worker() {  # the pid of the worker that replaces pid $1 (the postmaster restarts it)
    wait_for "SELECT worker_pid IS NOT NULL AND worker_pid <> $1 FROM ender.online_job" t "a new worker after pid $1 was killed"
    q -c "SELECT worker_pid FROM ender.online_job"
}
hold_snapshot() {  # a transaction older than the build (running $1), until release snapshot
    hold snapshot "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ" "${1:-SELECT 1}"
}
wait_invalid() {  # until the build has made index $1 and waits, the index not valid yet
    wait_for "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('$1') AND NOT indisvalid" 1 "an invalid index $1 while the build waits"
}
# wait_through REVISION: CALL ender_wait, started while the snapshot is held, returns ready
# once it is released: it commits between polls, so it waits through a build that waits for
# every older transaction instead of holding it up.
wait_through() {
    PGAPPNAME=waiter q -c "CALL ender_wait('$1', '5 minutes')" >"$work/wait.out" 2>&1 &
    local waiter=$!
    wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'waiter' AND query LIKE 'CALL ender_wait%'" 1 "ender_wait running"
    release snapshot
    wait "$waiter" || fail "ender_wait failed: $(cat "$work/wait.out")"
    [ "$(cat "$work/wait.out")" = ready ] || fail "$1 not ready: $(cat "$work/wait.out"), $(q -c "SELECT last_error FROM ender.online_job")"
}
indexes() { q -c "SELECT coalesce(string_agg(c.relname || ':' || i.indisvalid, ' ' ORDER BY c.relname), '') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'item'::regclass"; }
register() {  # revision $1, parent $2, operation $3
    q -c "SELECT ender_register(\$file\$-- ender:revision $1
-- ender:parents $2
-- ender:online $3
-- ender:upgrade
\$file\$)" >/dev/null
}

dropdb --force --if-exists "$db"; createdb "$db"
q >/dev/null <<SQL
CREATE EXTENSION ender;
CREATE TABLE item (id bigint PRIMARY KEY, qty integer NOT NULL, code text);
INSERT INTO item SELECT g, g % 977, 'c' || g % 13 FROM generate_series(1, $rows) g;
SELECT ender_register(id => 'ix0', parents => '{}', upgrade => '');
SELECT ender_upgrade();
SQL
cat >"$work/write.sql" <<'EOF2'
\set id random(1, 200000)
UPDATE item SET qty = qty + 1 WHERE id = :id;
EOF2

# 1. A build killed while it waits for an older transaction: the invalid index is dropped and
#    built again by the restarted worker; CALL ender_wait waits through it; writes go on.
register ix1 ix0 "create_index item_qty_code ON item (qty) INCLUDE (code) WHERE (qty > 10)"
pgbench -n -f "$work/write.sql" -c 2 -T 6 "$db" >"$work/write.log" 2>&1 &
writers=$!
hold_snapshot
q -c "SELECT ender_upgrade()" >/dev/null
wait_invalid item_qty_code
first_build=$(q -c "SELECT 'item_qty_code'::regclass::oid")
pid=$(q -c "SELECT worker_pid FROM ender.online_job")
same "$(q -c "SELECT pg_terminate_backend($pid)")" t "terminating the worker"
new_pid=$(new_worker "$pid")
# The new worker drops the invalid index and builds it again, which waits for the snapshot too.
wait_for "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('item_qty_code') AND indexrelid <> $first_build AND NOT indisvalid" 1 "the index built again, waiting"
wait_through ix1
[ "$(indexes)" = "item_pkey:true item_qty_code:true" ] || fail "expected the key and one valid index, got: $(indexes)"
q -c "SELECT ender_complete('ix1')" >/dev/null
[ "$(q -c "SELECT pg_get_indexdef('item_qty_code'::regclass)")" = \
  "CREATE INDEX item_qty_code ON public.item USING btree (qty) INCLUDE (code) WHERE (qty > 10)" ] ||
    fail "wrong index: $(q -c "SELECT pg_get_indexdef('item_qty_code'::regclass)")"
[ "$(q -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'ender_ix1'")" = 0 ] || fail "view schema left"
wait "$writers" || { cat "$work/write.log"; fail "writers failed"; }
grep -q "number of failed transactions: 0 (" "$work/write.log" || { cat "$work/write.log"; fail "write transactions failed"; }
echo "   create_index: worker killed mid-build, invalid index rebuilt by pid $new_pid, ender_wait through it, $(grep -E '^number of transactions actually processed' "$work/write.log" | sed 's/.*: //') writes: ok"

# 2. Rollback while the build waits: the build is cancelled and its index dropped, valid or not.
register ix2 ix1 "create_index item_code ON item (code)"
hold_snapshot
q -c "SELECT ender_upgrade()" >/dev/null
wait_invalid item_code
PGOPTIONS='-c statement_timeout=5min' q -c "SELECT ender_rollback('ix2')" >/dev/null
release snapshot
[ "$(q -c "SELECT count(*) FROM pg_class WHERE relname = 'item_code'")" = 0 ] || fail "rollback left the index: $(indexes)"
[ "$(indexes)" = "item_pkey:true item_qty_code:true" ] || fail "rollback changed other indexes: $(indexes)"
[ "$(q -c "SELECT count(*) FROM ender.online_job")" = 0 ] || fail "a job is left after rollback"
# Started again, it builds to the end.
q -c "SELECT ender_upgrade()" >/dev/null
[ "$(q -c "CALL ender_wait('ix2', '5 minutes')")" = ready ] || fail "ix2 not ready after a restart"
q -c "SELECT ender_complete('ix2')" >/dev/null
[ "$(indexes)" = "item_code:true item_pkey:true item_qty_code:true" ] || fail "after ix2: $(indexes)"
echo "   create_index: rollback mid-build leaves no index, a new start builds it: ok"

# 3. drop_index waits for the older transaction too (DROP INDEX CONCURRENTLY), then the
#    rollback is refused and complete applies it.
register ix3 ix2 "drop_index public.item_qty_code"
hold_snapshot "SELECT count(*) FROM item WHERE id = 1"  # a lock on the table the drop waits for
q -c "SELECT ender_upgrade()" >/dev/null
wait_for "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'DROP INDEX CONCURRENTLY%'" 1 "the drop under way"
if out=$(q -c "SELECT ender_rollback('ix3')" 2>&1); then fail "rollback during the drop was accepted"; fi
grep -q 'is dropping the index CONCURRENTLY' <<<"$out" || fail "rollback during the drop refused with: $out"
wait_through ix3
[ "$(indexes)" = "item_code:true item_pkey:true" ] || fail "after the drop: $(indexes)"
if out=$(q -c "SELECT ender_rollback('ix3')" 2>&1); then fail "rollback after the drop was accepted"; fi
grep -q 'cannot be rolled back: it drops index "public.item_qty_code"' <<<"$out" || fail "rollback refused with: $out"
q -c "SELECT ender_complete('ix3')" >/dev/null
[ "$(q -c "SELECT count(*) FROM ender.applied WHERE revision_id = 'ix3'")" = 1 ] || fail "ix3 not applied"
echo "   drop_index: dropped CONCURRENTLY behind an older reader, rollback refused during and after the drop, completed: ok"
