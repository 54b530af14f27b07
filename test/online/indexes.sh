#!/usr/bin/env bash
# Online indexes (create_index, drop_index) against their faults: CALL ender_wait through a
# build that waits for an older transaction; the worker killed mid-build (pg_terminate_backend),
# after which the restarted worker drops the invalid index and builds it again; a rollback
# mid-build that leaves no index, valid or not; a drop_index whose rollback is refused once
# the index is gone; application writes through all of it, none failing. Runs inside
# pg_virtualenv (test/online/run.sh).
set -euo pipefail

db=ender_online_indexes
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists "$db"' EXIT
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
hold_snapshot() {  # a transaction older than the build (running $1), for 3 s, in the background
    q -c "BEGIN ISOLATION LEVEL REPEATABLE READ; ${1:-SELECT 1}; SELECT pg_sleep(3); COMMIT;" >/dev/null &
    holder=$!
    for _ in $(seq 1 100); do
        [ "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'BEGIN ISOLATION%' AND state = 'active'")" = 1 ] && return
        sleep 0.02
    done
    fail "the older transaction did not start"
}
wait_invalid() {  # until the build has made index $1 and waits, the index not valid yet
    for _ in $(seq 1 500); do
        [ "$(q -c "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('$1') AND NOT indisvalid")" = 1 ] && return
        sleep 0.02
    done
    fail "no invalid index $1 while the build waits"
}
indexes() { q -c "SELECT coalesce(string_agg(c.relname || ':' || i.indisvalid, ' ' ORDER BY c.relname), '') FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'item'::regclass"; }
register() {  # revision $1, parent $2, operation $3
    q -c "SELECT ender_register(\$file\$-- ender:revision $1
-- ender:parents $2
-- ender:online $3
-- ender:upgrade
\$file\$)" >/dev/null
}

dropdb --if-exists "$db"; createdb "$db"
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
pid=$(q -c "SELECT worker_pid FROM ender.online_job")
[ "$(q -c "SELECT pg_terminate_backend($pid)")" = t ] || fail "could not terminate the worker"
new_pid=$(new_worker "$pid")
phase=$(q -c "CALL ender_wait('ix1', '2 minutes')")
wait "$holder"
[ "$phase" = ready ] || fail "index not ready after the kill: $phase, $(q -c "SELECT last_error FROM ender.online_job")"
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
PGOPTIONS='-c statement_timeout=10s' q -c "SELECT ender_rollback('ix2')" >/dev/null
wait "$holder"
[ "$(q -c "SELECT count(*) FROM pg_class WHERE relname = 'item_code'")" = 0 ] || fail "rollback left the index: $(indexes)"
[ "$(indexes)" = "item_pkey:true item_qty_code:true" ] || fail "rollback changed other indexes: $(indexes)"
[ "$(q -c "SELECT count(*) FROM ender.online_job")" = 0 ] || fail "a job is left after rollback"
# Started again, it builds to the end.
q -c "SELECT ender_upgrade()" >/dev/null
[ "$(q -c "CALL ender_wait('ix2', '2 minutes')")" = ready ] || fail "ix2 not ready after a restart"
q -c "SELECT ender_complete('ix2')" >/dev/null
[ "$(indexes)" = "item_code:true item_pkey:true item_qty_code:true" ] || fail "after ix2: $(indexes)"
echo "   create_index: rollback mid-build leaves no index, a new start builds it: ok"

# 3. drop_index waits for the older transaction too (DROP INDEX CONCURRENTLY), then the
#    rollback is refused and complete applies it.
register ix3 ix2 "drop_index public.item_qty_code"
hold_snapshot "SELECT count(*) FROM item WHERE id = 1"  # a lock on the table the drop waits for
q -c "SELECT ender_upgrade()" >/dev/null
for _ in $(seq 1 500); do
    [ "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'DROP INDEX CONCURRENTLY%'")" = 1 ] && break
    sleep 0.02
done
if out=$(q -c "SELECT ender_rollback('ix3')" 2>&1); then fail "rollback during the drop was accepted"; fi
grep -q 'is dropping the index CONCURRENTLY' <<<"$out" || fail "rollback during the drop refused with: $out"
phase=$(q -c "CALL ender_wait('ix3', '2 minutes')")
wait "$holder"
[ "$phase" = ready ] || fail "drop not ready: $phase"
[ "$(indexes)" = "item_code:true item_pkey:true" ] || fail "after the drop: $(indexes)"
if out=$(q -c "SELECT ender_rollback('ix3')" 2>&1); then fail "rollback after the drop was accepted"; fi
grep -q 'cannot be rolled back: it drops index "public.item_qty_code"' <<<"$out" || fail "rollback refused with: $out"
q -c "SELECT ender_complete('ix3')" >/dev/null
[ "$(q -c "SELECT count(*) FROM ender.applied WHERE revision_id = 'ix3'")" = 1 ] || fail "ix3 not applied"
echo "   drop_index: dropped CONCURRENTLY behind an older reader, rollback refused during and after the drop, completed: ok"
