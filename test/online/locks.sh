#!/usr/bin/env bash
# Locks that never pile up: while a session holds ACCESS EXCLUSIVE on the table for 2 s, the
# worker's expand (ender.lock_timeout = 50ms) retries with backoff and succeeds, and so does
# ender_complete; while a long transaction reads the table, the migration's waiting lock
# request never holds application statements up for more than a moment. Runs inside
# pg_virtualenv (test/online/run.sh).
set -euo pipefail

db=ender_online_locks
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists "$db"' EXIT
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }

dropdb --if-exists "$db"; createdb "$db"
q >/dev/null <<'SQL'
CREATE EXTENSION ender;
CREATE TABLE account (id bigint PRIMARY KEY, balance integer NOT NULL DEFAULT 0);
INSERT INTO account SELECT g, g FROM generate_series(1, 20000) g;
SELECT ender_register($file$-- ender:revision lk1
-- ender:online alter_column account balance type bigint using (balance) down (balance::integer)
-- ender:upgrade
$file$);
SQL

hold() {  # hold ACCESS EXCLUSIVE on account for 2 s, in the background
    q -c "BEGIN; LOCK TABLE account IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(2); COMMIT;" >/dev/null &
    holder=$!
    for _ in $(seq 1 100); do
        [ "$(q -c "SELECT count(*) FROM pg_locks WHERE relation = 'account'::regclass AND mode = 'AccessExclusiveLock' AND granted")" = 1 ] && return
        sleep 0.02
    done
    fail "the lock holder did not get its lock"
}

# Expand, in the worker, behind a 2 s ACCESS EXCLUSIVE.
hold
start=$(now_ms)
q -c "SET ender.lock_timeout = '50ms'; SELECT ender_upgrade();" >/dev/null
[ "$(q -c "CALL ender_wait('lk1', '1 minute')")" = ready ] || fail "job not ready"
wait "$holder"
retries=$(q -c "SELECT lock_retries FROM ender_status()")
[ "$retries" -ge 2 ] || fail "expected the worker to retry its lock, it retried $retries times after $(( $(now_ms) - start )) ms"
echo "   expand behind a 2 s ACCESS EXCLUSIVE: ready after $(( $(now_ms) - start )) ms, $retries lock retries"

# Complete, in the caller, behind a 2 s ACCESS EXCLUSIVE.
hold
start=$(now_ms)
q -c "SET ender.lock_timeout = '50ms'; SELECT ender_complete('lk1');" >/dev/null
took=$(( $(now_ms) - start ))
wait "$holder"
[ "$took" -ge 1500 ] || fail "complete took $took ms: it cannot have waited for the lock holder"
[ "$(q -c "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'account'::regclass AND attname = 'balance'")" = bigint ] ||
    fail "balance is not bigint after complete"
echo "   complete behind a 2 s ACCESS EXCLUSIVE: done after $took ms"

# Politeness: a transaction reads the table for 2 s; the contract's ACCESS EXCLUSIVE request
# waits behind it, and application reads must not queue behind that request for long.
q >/dev/null <<'SQL'
SELECT ender_register($file$-- ender:revision lk2
-- ender:parents lk1
-- ender:online alter_column account balance type numeric using (balance) down (balance::bigint)
-- ender:upgrade
$file$);
SELECT ender_upgrade();
CALL ender_wait('lk2', '1 minute');
SQL
q -c "BEGIN; SELECT count(*) FROM account; SELECT pg_sleep(2); COMMIT;" >/dev/null &
reader=$!
sleep 0.2
cat >"$work/read.sql" <<'EOF2'
\set id random(1, 20000)
SELECT balance FROM account WHERE id = :id;
EOF2
(cd "$work" && pgbench -n -f read.sql -c 2 -T 2 -l "$db" >"$work/pgbench.out" 2>&1) &
app=$!
q -c "SET ender.lock_timeout = '50ms'; SELECT ender_complete('lk2');" >/dev/null
wait "$reader" "$app"
max_us=$(cat "$work"/pgbench_log.* | awk 'BEGIN { m = 0 } $3 > m { m = $3 } END { print m }')
grep -q "number of failed transactions: 0 (" "$work/pgbench.out" || { cat "$work/pgbench.out"; fail "application reads failed"; }
[ "$max_us" -lt 500000 ] || fail "an application read waited $max_us us behind the migration"
echo "   reads during a contract waiting 2 s for its lock: longest $((max_us / 1000)) ms"
echo "   locks: ok"
