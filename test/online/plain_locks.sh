#!/usr/bin/env bash
# Plain revisions applied lock-politely (docs/zero-downtime.md, Locks): a reader holds the
# table while ender_upgrade of a plain revision retries under ender.lock_timeout and succeeds
# once the reader ends, application statements never queueing behind it; inside the caller's
# transaction the caller's own work survives the retries; a reader that never ends makes the
# upgrade fail at ender.lock_wait_limit naming it, with nothing applied (and the failure logged
# with its retries by ender_upgrade_logged); SET ender.lock_timeout = 0 turns it off. Runs
# inside pg_virtualenv (test/online/run.sh).
set -euo pipefail

db=ender_online_plain_locks
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --force --if-exists "$db"' EXIT
# A statement that would queue behind a reader for good fails the test instead of hanging it.
export PGOPTIONS='-c statement_timeout=5min'

dropdb --force --if-exists "$db"; createdb "$db"
q >/dev/null <<'SQL'
CREATE EXTENSION ender;
CREATE TABLE account (id bigint PRIMARY KEY, balance integer NOT NULL DEFAULT 0);
INSERT INTO account SELECT g, g FROM generate_series(1, 1000) g;
SELECT ender_register($f$-- ender:revision p1
-- ender:upgrade
ALTER TABLE account ADD COLUMN note text;
-- ender:downgrade
ALTER TABLE account DROP COLUMN note;
$f$);
SELECT ender_register($f$-- ender:revision p2
-- ender:parents p1
-- ender:upgrade
ALTER TABLE account ADD COLUMN flag boolean;
$f$);
SELECT ender_register($f$-- ender:revision p3
-- ender:parents p2
-- ender:upgrade
ALTER TABLE account ADD COLUMN tag text;
$f$);
SQL

# A reader: a transaction that read the table (ACCESS SHARE, held) until released, named by
# application_name so the error can be checked for it.
reader() { hold long_reader "SELECT count(*) FROM account"; }
column_exists() { q -c "SELECT count(*) FROM pg_attribute WHERE attrelid = 'account'::regclass AND attname = '$1' AND NOT attisdropped"; }
upgrader="SELECT pid FROM pg_stat_activity WHERE application_name = 'upgrader'"

echo "   a reader holds the table: the upgrade retries, the application goes on, then it applies"
reader
PGAPPNAME=upgrader q -c "SET ender.lock_timeout = '50ms'; SELECT string_agg(id, ',') FROM ender_upgrade('p1') id" >"$work/upgrade.out" 2>&1 &
upgrade=$!
wait_attempts "$upgrader" 4  # three attempts timed out and were retried
# The application, meanwhile: reads that give up after 30 s of waiting for a lock. Behind an
# ALTER TABLE queued without lock_timeout they would all give up (the reader holds the table
# until they are done).
ok=0
for _ in $(seq 1 20); do
    q -c "SET lock_timeout = '30s'; SELECT balance FROM account WHERE id = 7" >/dev/null 2>&1 && ok=$((ok + 1))
done
same "$ok" 20 "application reads during the upgrade (each gives up after 30 s of lock wait)"
kill -0 "$upgrade" 2>/dev/null || fail "the upgrade ended while the reader held the table: $(cat "$work/upgrade.out")"
same "$(column_exists note)" 0 "the revision while the reader holds the table"
release long_reader
wait "$upgrade" || fail "the upgrade failed: $(cat "$work/upgrade.out")"
same "$(cat "$work/upgrade.out")" p1 "ender_upgrade behind the reader"
same "$(column_exists note)" 1 "the revision applied after the reader ended"
retries=$(q -c "SELECT lock_retries FROM ender_history() WHERE revision = 'p1' AND operation = 'upgrade'")
[ "$retries" -ge 3 ] || fail "the upgrade recorded $retries lock retries; it cannot have waited politely behind the reader"
echo "   applied after $retries lock retries; 20 of 20 application reads went through"

echo "   inside the caller's transaction: the caller's own work survives the retries"
reader
PGAPPNAME=upgrader q >"$work/upgrade.out" 2>&1 <<'SQL' &
BEGIN;
CREATE TABLE audit (n int);
INSERT INTO audit VALUES (1);
SET LOCAL ender.lock_timeout = '50ms';
SELECT ender_upgrade('p2');
INSERT INTO audit VALUES (2);
COMMIT;
SQL
upgrade=$!
wait_attempts "$upgrader" 3  # two attempts timed out and were retried
release long_reader
wait "$upgrade" || fail "the upgrade in the caller's transaction failed: $(cat "$work/upgrade.out")"
same "$(q -c "SELECT string_agg(n::text, ',' ORDER BY n) FROM audit")" "1,2" "the caller's rows"
same "$(column_exists flag)" 1 "p2 applied in the caller's transaction"
r=$(q -c "SELECT lock_retries FROM ender_history() WHERE revision = 'p2'")
[ "$r" -ge 2 ] || fail "p2 recorded $r lock retries behind the reader"

echo "   a reader that never ends: fails at ender.lock_wait_limit naming it, nothing applied"
reader
blocker=$(q -c "SELECT pid FROM pg_stat_activity WHERE application_name = 'long_reader'")
set +e
err=$(q -c "SET ender.lock_timeout = '50ms'; SET ender.lock_wait_limit = '1s';
            SET client_min_messages = error; SELECT ender_upgrade('p3');" 2>&1)
rc=$?
set -e
[ $rc -ne 0 ] || fail "the upgrade succeeded behind a reader that never ends"
grep -q 'could not get the locks of revision "p3" within ender.lock_wait_limit (1 s)' <<<"$err" || fail "unexpected error: $err"
grep -q "AccessExclusiveLock on relation public.account" <<<"$err" || fail "the error does not name the lock: $err"
grep -q "pid $blocker (user \"[^\"]*\", idle in transaction\|pid $blocker (user \"[^\"]*\", active" <<<"$err" || fail "the error does not name the reader (pid $blocker): $err"
grep -q "SELECT pg_sleep(3600)" <<<"$err" || fail "the error does not show the reader's query: $err"
grep -q "nothing of it was applied" <<<"$err" || fail "the detail does not say nothing was applied: $err"
same "$(column_exists tag)" 0 "nothing applied"
same "$(q -c "SELECT string_agg(c, ',') FROM ender_current() c")" p2 "the position"
# The same through the logged procedure: the failure row carries the retries.
set +e
q -c "SET ender.lock_timeout = '50ms'" -c "SET ender.lock_wait_limit = '500ms'" -c "CALL ender_upgrade_logged('p3')" >/dev/null 2>&1
set -e
read -r state retries <<<"$(q -F ' ' -c "SELECT error_sqlstate, lock_retries FROM ender_history() WHERE outcome = 'failed' ORDER BY id DESC LIMIT 1")"
same "$state" 55P03 "the logged failure"
[ "$retries" -ge 1 ] || fail "the logged failure recorded $retries lock retries"
same "$(column_exists tag)" 0 "nothing applied by the logged attempt"
echo "   error names pid $blocker and its query; the logged failure has $retries retries"

echo "   a revision's own limit (-- ender:lock_wait_limit) wins over the setting"
q -c "SELECT ender_register(\$f\$-- ender:revision p4
-- ender:lock_wait_limit 700ms
-- ender:upgrade
ALTER TABLE account ADD COLUMN own_limit int;
\$f\$)" >/dev/null
set +e
err=$(q -c "SET ender.lock_wait_limit = '10min'; SET client_min_messages = error; SELECT ender_upgrade('p4');" 2>&1)
set -e
grep -q 'could not get the locks of revision "p4" within the lock_wait_limit of revision "p4" (700 ms)' <<<"$err" || fail "unexpected error: $err"
same "$(column_exists own_limit)" 0 "nothing applied under the revision's limit"

echo "   SET ender.lock_timeout = 0: off, the caller's lock_timeout applies as without ender"
set +e
err=$(q -c "SET ender.lock_timeout = 0; SET lock_timeout = '200ms'; SELECT ender_upgrade('p3');" 2>&1)
set -e
grep -q "canceling statement due to lock timeout" <<<"$err" || fail "with the policy off, expected PostgreSQL's own lock timeout: $err"
same "$(q -c "SELECT count(*) FROM ender_history() WHERE revision = 'p3' AND outcome = 'ok'")" 0 "nothing applied with the policy off"
release long_reader
same "$(q -c "SET ender.lock_timeout = 0; SELECT string_agg(id, ',') FROM ender_upgrade('p3') id")" p3 "upgrade with the policy off, nothing in the way"
same "$(q -c "SELECT lock_retries FROM ender_history() WHERE revision = 'p3' AND outcome = 'ok'")" 0 "no retries with the policy off"
echo "   plain_locks: ok"
