#!/usr/bin/env bash
# Locks that never pile up: while a session holds ACCESS EXCLUSIVE on the table, the worker's
# expand (ender.lock_timeout = 50ms) queues, times out and retries with backoff, and succeeds
# once the holder ends; so does ender_complete; while a long transaction reads the table, the
# migration's waiting lock request never holds application statements up. The sessions in
# the way hold until released (lib.sh), so the tests do not depend on how fast the machine
# is. Runs inside pg_virtualenv (test/online/run.sh).
db=ender_online_locks
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --force --if-exists "$db"' EXIT

dropdb --force --if-exists "$db"; createdb "$db"
q >/dev/null <<'SQL'
CREATE EXTENSION ender;
CREATE TABLE account (id bigint PRIMARY KEY, balance integer NOT NULL DEFAULT 0);
INSERT INTO account SELECT g, g FROM generate_series(1, 20000) g;
SELECT ender_register($file$-- ender:revision lk1
-- ender:online alter_column account balance type bigint using (balance) down (balance::integer)
-- ender:upgrade
$file$);
SQL
balance_type() { q -c "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'account'::regclass AND attname = 'balance'"; }
worker="SELECT pid FROM pg_stat_activity WHERE backend_type = 'ender online worker' LIMIT 1"
completer="SELECT pid FROM pg_stat_activity WHERE application_name = 'completer'"
# A statement that would queue behind a holder for good fails the test instead of hanging it.
export PGOPTIONS='-c statement_timeout=5min'

# Expand, in the worker, behind an ACCESS EXCLUSIVE held until released: three attempts
# queued (two timed out and were retried) while the job stays in expand.
hold holder "LOCK TABLE account IN ACCESS EXCLUSIVE MODE"
start=$(now_ms)
q -c "SET ender.lock_timeout = '50ms'; SELECT ender_upgrade();" >/dev/null
wait_attempts "$worker" 3
same "$(q -c "SELECT phase FROM ender.online_job")" expand "the phase while the table is held"
release holder
same "$(q -c "CALL ender_wait('lk1', '5 minutes')")" ready "ender_wait after the holder ended"
retries=$(q -c "SELECT lock_retries FROM ender_status()")
[ "$retries" -ge 2 ] || fail "expected the worker to retry its lock at least twice, it retried $retries times"
echo "   expand behind an ACCESS EXCLUSIVE: ready after $(( $(now_ms) - start )) ms, $retries lock retries"

# Complete, in the caller, behind an ACCESS EXCLUSIVE: it retries, still running, until the
# holder ends, then completes.
hold holder "LOCK TABLE account IN ACCESS EXCLUSIVE MODE"
start=$(now_ms)
PGAPPNAME=completer q -c "SET ender.lock_timeout = '50ms'; SELECT ender_complete('lk1');" >"$work/complete.out" 2>&1 &
complete=$!
wait_attempts "$completer" 3
kill -0 "$complete" 2>/dev/null || fail "ender_complete ended while the holder held the table: $(cat "$work/complete.out")"
same "$(balance_type)" integer "balance while complete waits"
release holder
wait "$complete" || fail "ender_complete failed: $(cat "$work/complete.out")"
took=$(( $(now_ms) - start ))
same "$(balance_type)" bigint "balance after complete"
retries=$(q -c "SELECT lock_retries FROM ender_history() WHERE revision = 'lk1' AND operation = 'complete'")
[ "$retries" -ge 2 ] || fail "complete recorded $retries lock retries behind the holder"
echo "   complete behind an ACCESS EXCLUSIVE: done after $took ms, $retries lock retries"

# Politeness: a transaction reads the table until released; the contract's ACCESS EXCLUSIVE
# request queues behind it, and application reads must not queue behind that request for
# long. Each read gives up after 30 s of lock wait: behind a request queued without
# lock_timeout they would all give up, since the reader holds the table until they are done.
q >/dev/null <<'SQL'
SELECT ender_register($file$-- ender:revision lk2
-- ender:parents lk1
-- ender:online alter_column account balance type numeric using (balance) down (balance::bigint)
-- ender:upgrade
$file$);
SELECT ender_upgrade();
CALL ender_wait('lk2', '5 minutes');
SQL
hold reader "SELECT count(*) FROM account"
PGAPPNAME=completer q -c "SET ender.lock_timeout = '50ms'; SELECT ender_complete('lk2');" >"$work/complete.out" 2>&1 &
complete=$!
wait_attempts "$completer" 1
cat >"$work/read.sql" <<'EOF2'
\set id random(1, 20000)
SELECT balance FROM account WHERE id = :id;
EOF2
(cd "$work" && PGOPTIONS='-c lock_timeout=30s' pgbench -n -f read.sql -c 2 -t 100 -l "$db" >"$work/pgbench.out" 2>&1) ||
    { cat "$work/pgbench.out"; fail "application reads failed behind the migration"; }
grep -q "number of transactions actually processed: 200/200" "$work/pgbench.out" ||
    { cat "$work/pgbench.out"; fail "not every application read went through"; }
kill -0 "$complete" 2>/dev/null || fail "ender_complete ended while the reader held the table: $(cat "$work/complete.out")"
release reader
wait "$complete" || fail "ender_complete failed: $(cat "$work/complete.out")"
same "$(balance_type)" numeric "balance after complete"
max_us=$(cat "$work"/pgbench_log.* | awk 'BEGIN { m = 0 } $3 > m { m = $3 } END { print m }')
echo "   200 reads while a contract waited for its lock: all went through, longest $((max_us / 1000)) ms"
echo "   locks: ok"
