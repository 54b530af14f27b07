#!/usr/bin/env bash
# The worker is killed mid-backfill (pg_terminate_backend): the postmaster starts it again,
# it resumes from the last committed batch, and every row ends in step, none counted twice
# or missed. Runs inside pg_virtualenv (test/online/run.sh).
set -euo pipefail

db=ender_online_faults
trap 'dropdb --if-exists "$db"' EXIT
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
rows=200000

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
[ "$(q -c "SELECT ender_wait('ft1', '2 minutes')")" = ready ] || fail "job not ready after the kill"
new_pid=$(q -c "SELECT worker_pid FROM ender.online_job")
[ "$new_pid" != "$pid" ] || fail "the same worker finished the job"
read -r done_rows batches <<<"$(q -F ' ' -c "SELECT rows_done, batches FROM ender.online_job")"
[ "$done_rows" = "$rows" ] || fail "rows_done is $done_rows after the kill, expected $rows"
[ "$batches" = $((rows / 1000)) ] || fail "$batches batches, expected $((rows / 1000))"
bad=$(q -c "SELECT count(*) FROM item WHERE _ender_new_qty IS DISTINCT FROM qty::bigint * 3")
[ "$bad" = 0 ] || fail "$bad rows out of step after the kill"
q -c "SELECT ender_complete('ft1')" >/dev/null
[ "$(q -c "SELECT count(*) FROM item WHERE qty <> (id % 977) * 3")" = 0 ] || fail "wrong values after complete"
echo "   worker killed at $at of $rows rows: resumed by pid $new_pid, $done_rows rows in $batches batches: ok"
