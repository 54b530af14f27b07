#!/usr/bin/env bash
# Column type change on a big table under write load (docs/benchmarks.md, "Online type
# change"): pgbench (custom script, 8 clients) updates and reads random rows of a table of
# BENCH_ROWS rows while (a) a plain ALTER TABLE ... ALTER COLUMN ... TYPE runs, then (b) ender
# changes the same column online (expand, backfill, complete). For each: failed transactions,
# max and p99 latency of the application's transactions during the change, and the longest
# time any application statement waited for a lock (sampled from pg_stat_activity every 5 ms).
#
#   BENCH_ROWS=5000000   rows in the table
#   BENCH_BATCH=1000     ender.backfill_batch_size for (b)
# Needs the installed extension: run it under the install lock (see the README).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
BENCH_PG_OPTIONS="${BENCH_PG_OPTIONS:-shared_buffers=512MB max_wal_size=4GB}" bench_cluster "${BASH_SOURCE[0]}" "$@"

rows="${BENCH_ROWS:-5000000}"
batch="${BENCH_BATCH:-1000}"
bench_account online "$rows"
q -c "CREATE TABLE lock_wait (scenario text, max_ms numeric)"

cat >"$work/app.sql" <<EOF2
\set id random(1, $rows)
UPDATE account SET balance = balance + 1 WHERE id = :id;
SELECT balance FROM account WHERE id = :id;
EOF2

# Samples the longest lock wait of any pgbench statement until the flag table is dropped
# (a COMMIT per pass: fresh catalog and activity snapshots).
sampler() {
    q -c "CREATE TABLE sampling ()" >/dev/null
    q >/dev/null <<SQL &
DO \$\$
DECLARE
    worst numeric := 0;
    now_worst numeric;
BEGIN
    LOOP
        EXIT WHEN NOT EXISTS (SELECT FROM pg_class WHERE relname = 'sampling' AND relkind = 'r');
        SELECT max(extract(epoch FROM clock_timestamp() - query_start) * 1000) INTO now_worst
          FROM pg_stat_activity
         WHERE wait_event_type = 'Lock' AND backend_type = 'client backend'
           AND application_name = 'pgbench';
        worst := greatest(worst, coalesce(now_worst, 0));
        COMMIT;
        PERFORM pg_sleep(0.005);
    END LOOP;
    INSERT INTO lock_wait VALUES ('$1', round(worst, 1));
END
\$\$;
SQL
    sampler_pid=$!
}

# Runs the load (in rounds of 5 s, so that it ends soon after the change) around the change
# command $2; prints the figures.
scenario() {
    local name=$1 change=$2
    sampler "$name"
    measure "$change" -c 8
    q -c "DROP TABLE sampling" >/dev/null
    wait "$sampler_pid"
    local failed tps lat waited
    failed=$(failed_transactions)
    tps=$(cat "$work"/round.* | grep -oP 'tps = \K[0-9.]+' | awk '{ s += $1; n++ } END { printf "%.0f", s / n }')
    # Transactions that ended during the change (log: client tx latency_us script epoch us).
    lat=$(cat "$work"/pgbench_log.* | awk -v a="$t0" -v b="$t1" '{ t = $5 + $6 / 1e6; if (t >= a && t <= b + 1) print $3 }' |
          sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) { print "0 0 0"; exit }
                          i = int(NR * 0.99); if (i < 1) i = 1; printf "%d %.1f %.1f\n", NR, v[i] / 1000, v[NR] / 1000 }')
    waited=$(q -c "SELECT max_ms FROM lock_wait WHERE scenario = '$name'")
    read -r n p99 max <<<"$lat"
    printf '| %s | %.1f s | %s | %s | %s ms | %s ms | %s ms | %s |\n' "$name" "$(echo "$t1 - $t0" | bc)" \
        "$failed" "$n" "$p99" "$max" "$waited" "$tps" | tee -a "$work/results.md"
}

echo "| change | took | failed transactions | transactions during the change | p99 latency | max latency | longest lock wait | tps (mean) |" >"$work/results.md"
echo "|---|---|---|---|---|---|---|---|" >>"$work/results.md"

scenario "plain ALTER TABLE ... TYPE" \
    'q -c "ALTER TABLE account ALTER COLUMN balance TYPE bigint"'
q -c "ALTER TABLE account ALTER COLUMN balance TYPE integer" >/dev/null
q -c "VACUUM ANALYZE account" >/dev/null

q >/dev/null <<'SQL'
SELECT ender_register($file$-- ender:revision cents
-- ender:online alter_column account balance type bigint using (balance::bigint) down (balance::integer)
-- ender:upgrade
$file$);
SQL
scenario "ender (online: expand, backfill, complete)" \
    'q -c "SET ender.backfill_batch_size = '"$batch"'; SET ender.lock_timeout = '"'"'50ms'"'"'; SELECT ender_upgrade()" >/dev/null;
     q -c "CALL ender_wait('"'"'cents'"'"')" >/dev/null;
     q -c "SET ender.lock_timeout = '"'"'50ms'"'"'; SELECT ender_complete('"'"'cents'"'"')" >/dev/null'
echo
cat "$work/results.md"
