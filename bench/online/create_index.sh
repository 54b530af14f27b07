#!/usr/bin/env bash
# An index built on a big table under load (docs/benchmarks.md, "Online index"): pgbench
# (BENCH_CLIENTS clients at BENCH_RATE transactions/s in all, a point read and a point update)
# runs on a table of BENCH_ROWS rows while an index on `balance` is built:
#   (a) plain SQL: CREATE INDEX (SHARE lock: every write waits for the whole build);
#   (b) ender: an online revision `-- ender:online create_index ...` (the worker builds it
#       CONCURRENTLY), ender_upgrade(), CALL ender_wait, ender_complete().
# For each, over the application transactions that ended from the start of the change until a
# second after it: their number, the longest, and how many took over 50 ms and over 100 ms
# (pgbench's per-transaction log; under a rate the latency includes the time a transaction
# waited to be sent, so a stalled server shows in full).
#
#   BENCH_ROWS=5000000  BENCH_RATE=400  BENCH_CLIENTS=4
#   BENCH_ROUND=60      seconds of one pgbench run: each change must end within it (minus 5 s)
# Needs the installed extension: run it under the install lock (see the README).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BENCH_PG_OPTIONS="${BENCH_PG_OPTIONS:-shared_buffers=512MB max_wal_size=4GB}" bench_cluster "${BASH_SOURCE[0]}" "$@"

rows="${BENCH_ROWS:-5000000}"
rate="${BENCH_RATE:-400}"
clients="${BENCH_CLIENTS:-4}"
bench_account create-index "$rows"
q <<'SQL'
SELECT ender_register($f$-- ender:revision balance_index
-- ender:online create_index account_balance_online ON account (balance)
-- ender:upgrade
$f$);
SQL
point_app "$rows"
scenario() {
    round_s="${BENCH_ROUND:-60}" measure "$2" -c "$clients" -R "$rate"
    rated_row "$1"
}

echo "| change | took | failed transactions | transactions during the change | longest transaction | over 50 ms | over 100 ms |" >"$work/results.md"
echo "|---|---:|---:|---:|---:|---:|---:|" >>"$work/results.md"
scenario "plain \`CREATE INDEX\`" 'q -c "CREATE INDEX account_balance_plain ON account (balance)"'
q -c "DROP INDEX account_balance_plain" >/dev/null
q -c "VACUUM ANALYZE account" >/dev/null
scenario "ender \`create_index\` (start, wait, complete)" \
    'q -c "SELECT ender_upgrade()" >/dev/null;
     q -c "CALL ender_wait('"'"'balance_index'"'"', '"'"'30 min'"'"')" >/dev/null;
     q -c "SELECT ender_complete('"'"'balance_index'"'"')" >/dev/null'
[ "$(q -c "SELECT indisvalid FROM pg_index WHERE indexrelid = 'account_balance_online'::regclass")" = t ] ||
    { echo "the online index is not valid" >&2; exit 1; }
echo
echo "rows=$rows rate=$rate clients=$clients"
cat "$work/results.md"
