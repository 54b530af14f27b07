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

if [ -z "${ENDER_BENCH_IN_CLUSTER:-}" ]; then
    export ENDER_BENCH_IN_CLUSTER=1
    exec pg_virtualenv -t -v 15 -o shared_buffers=256MB "${BASH_SOURCE[0]}" "$@"
fi

rows="${BENCH_ROWS:-1000000}"
rate="${BENCH_RATE:-400}"
clients="${BENCH_CLIENTS:-4}"
reader_s="${BENCH_READER:-10}"
work="$(mktemp -d /tmp/ender-bench-queued.XXXXXX)"
trap 'rm -rf "$work"' EXIT
bin=$(pg_config --bindir)
q() { "$bin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d bench "$@"; }
now_s() { date +%s.%N; }

createdb bench
echo "bench/online/queued_lock: loading $rows rows"
q <<SQL
CREATE EXTENSION ender;
CREATE TABLE account (id bigint PRIMARY KEY, balance integer NOT NULL DEFAULT 0, note text);
INSERT INTO account SELECT g, g % 100000, 'account ' || g FROM generate_series(1, $rows) g;
VACUUM ANALYZE account;
SELECT ender_register(\$f\$-- ender:revision add_flag
-- ender:upgrade
ALTER TABLE account ADD COLUMN flag_ender integer;
\$f\$);
SQL

cat >"$work/app.sql" <<EOF2
\set id random(1, $rows)
SELECT balance FROM account WHERE id = :id;
UPDATE account SET balance = balance + 1 WHERE id = :id;
EOF2

# Runs the load around the change command $2, with the report query started a second before.
scenario() {
    local name=$1 change=$2
    rm -f "$work"/pgbench_log.*
    (cd "$work" && "$bin/pgbench" -n -f app.sql -c "$clients" -j 2 -R "$rate" -T $((reader_s + 8)) -l bench >"$work/pgbench.out" 2>&1) &
    local load=$!
    sleep 3
    q -c "BEGIN; SELECT count(*) FROM account; SELECT pg_sleep($reader_s); COMMIT;" >/dev/null &
    local reader=$!
    sleep 1
    local t0 t1
    t0=$(now_s)
    eval "$change"
    t1=$(now_s)
    wait "$reader" "$load"
    # Log: client tx latency_us script epoch_s epoch_us [lag]; transactions that ended in the
    # window [t0, t1 + 1 s].
    local stats
    stats=$(cat "$work"/pgbench_log.* | awk -v a="$t0" -v b="$t1" '{ t = $5 + $6 / 1e6; if (t >= a && t <= b + 1) {
                n++; if ($3 > m) m = $3; if ($3 > 50000) o50++; if ($3 > 100000) o100++ } }
            END { printf "%d %.1f %d %d\n", n, m / 1000, o50, o100 }')
    read -r n max over50 over100 <<<"$stats"
    local failed
    failed=$(grep -oP 'number of failed transactions: \K[0-9]+' "$work/pgbench.out" || echo 0)
    printf '| %s | %.1f s | %s | %s | %s ms | %s | %s |\n' "$name" "$(echo "$t1 - $t0" | bc)" "$failed" \
        "$n" "$max" "$over50" "$over100" | tee -a "$work/results.md"
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
