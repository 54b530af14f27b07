#!/usr/bin/env bash
# The queued-lock case (docs/benchmarks.md, "Lock-polite plain revisions"): an instant
# ALTER TABLE ... ADD COLUMN behind one long report query, under an application load. pgbench
# (BENCH_CLIENTS clients at BENCH_RATE transactions/s in all, a point read and a point update)
# runs on a table of BENCH_ROWS rows; a report transaction reads the table and holds its
# ACCESS SHARE lock for BENCH_READER seconds; one second in, the change is made:
#   (a) plain SQL: ALTER TABLE account ADD COLUMN ... (no lock_timeout, as a migration tool
#       without a lock policy runs it);
#   (b) ender: a plain revision with the same statement, SELECT ender_upgrade() with the
#       defaults (ender.lock_timeout 50ms, retried with backoff).
# And the floor: the load and the reader without any change. For each, over the application
# transactions that ended from the start of the change until
# a second after it: their number, the longest, and how many took over 50 ms and over 100 ms
# (pgbench's per-transaction log; under a rate the latency includes the time a transaction
# waited to be sent, so a stalled server shows in full).
#
#   BENCH_ROWS=1000000  BENCH_RATE=400  BENCH_CLIENTS=4  BENCH_READER=10
# Needs the installed extension: run it under the install lock (see the README).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BENCH_PG_OPTIONS="${BENCH_PG_OPTIONS:-shared_buffers=256MB}" bench_cluster "${BASH_SOURCE[0]}" "$@"

rows="${BENCH_ROWS:-1000000}"
rate="${BENCH_RATE:-400}"
clients="${BENCH_CLIENTS:-4}"
reader_s="${BENCH_READER:-10}"
bench_account queued "$rows"
q <<SQL
SELECT ender_register(\$f\$-- ender:revision add_flag
-- ender:upgrade
ALTER TABLE account ADD COLUMN flag_ender integer;
\$f\$);
SQL

point_app "$rows"
# Runs the change command $2 under the load, the report query started a second before.
scenario() {
    side="q -c 'BEGIN; SELECT count(*) FROM account; SELECT pg_sleep($reader_s); COMMIT;' >/dev/null"
    round_s=$((reader_s + 8)) measure "$2" -c "$clients" -R "$rate"
    rated_row "$1"
}

echo "| change | took | failed transactions | transactions during the change | longest transaction | over 50 ms | over 100 ms |" >"$work/results.md"
echo "|---|---:|---:|---:|---:|---:|---:|" >>"$work/results.md"
# The floor: the same load and reader, no change (the machine's own noise over the same window,
# from one second after the reader starts until the reader ends).
scenario "no change (the reader and the load alone)" 'sleep $((reader_s - 1))'
scenario "plain \`ALTER TABLE account ADD COLUMN flag integer\`" \
    'q -c "ALTER TABLE account ADD COLUMN flag_plain integer" >/dev/null'
scenario "ender, the same statement as a plain revision" \
    'q -c "SELECT ender_upgrade()" >/dev/null'
q -c "SELECT revision, lock_retries, duration FROM ender_history() WHERE revision = 'add_flag'"
echo
echo "rows=$rows rate=$rate clients=$clients reader=${reader_s}s"
cat "$work/results.md"
