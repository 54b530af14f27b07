# Shared by the bench/online scripts (sourced, after `set -euo pipefail`): the cluster each
# runs in, the table and the load they measure, and the figures over a window of pgbench's
# per-transaction log. docs/benchmarks.md.
#
#   bench_cluster SCRIPT ARGS...    re-runs SCRIPT inside a fresh pg_virtualenv cluster (once;
#                                   BENCH_PG_OPTIONS: extra -o settings)
#   bench_account NAME ROWS         a work dir ($work), database "bench" with ender and
#                                   account (id bigint PRIMARY KEY, balance integer NOT NULL
#                                   DEFAULT 0, note text) of ROWS rows, vacuumed and analyzed
#   load_rounds PGBENCH_ARGS...     pgbench with app.sql (written by the caller in $work) in
#                                   rounds of $round_s s (default 5), logging each
#                                   transaction, until $work/done. Under a rate (-R) a round
#                                   must outlast the change: a round that ends during a stall
#                                   drops the transactions scheduled behind it, and the stall
#                                   would look smaller than it is
#   point_app ROWS                  app.sql: a point read and a point update of account
#   measure CHANGE PGBENCH_ARGS...  runs the shell command CHANGE under the load (load_rounds),
#                                   begun 3 s before it and ended 2 s after; sets t0 and t1.
#                                   $side, when set: a command run in the background from 1 s
#                                   before the change (a report query), waited for after it
#   rated_row NAME                  the row of the rated benchmarks' table for the last change
#   window_figures T0 T1            over the transactions that ended in [T0, T1 + 1 s]: their
#                                   number, the longest (ms), how many took over 50 and 100 ms
#   failed_transactions             summed over the rounds' outputs

bench_cluster() {
    if [ -z "${ENDER_BENCH_IN_CLUSTER:-}" ]; then
        export ENDER_BENCH_IN_CLUSTER=1
        local opts=()
        for o in ${BENCH_PG_OPTIONS:-}; do opts+=(-o "$o"); done
        exec pg_virtualenv -t -v 15 "${opts[@]}" "$@"
    fi
}

bin=$(pg_config --bindir)
q() { "$bin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d bench "$@"; }
now_s() { date +%s.%N; }

bench_account() {
    work="$(mktemp -d "/tmp/ender-bench-$1.XXXXXX")"
    trap 'rm -rf "$work"' EXIT
    "$bin/createdb" bench
    echo "bench/online/$1: loading $2 rows"
    q <<SQL
CREATE EXTENSION ender;
CREATE TABLE account (id bigint PRIMARY KEY, balance integer NOT NULL DEFAULT 0, note text);
INSERT INTO account SELECT g, g % 100000, 'account ' || g FROM generate_series(1, $2) g;
VACUUM ANALYZE account;
SQL
}

load_rounds() {
    rm -f "$work"/pgbench_log.* "$work"/round.* "$work/done"
    local n=0
    while [ ! -e "$work/done" ]; do
        n=$((n + 1))
        (cd "$work" && "$bin/pgbench" -n -f app.sql -j 2 -T "${round_s:-5}" -l "$@" bench >"$work/round.$n" 2>&1)
    done
}

# Log: client tx latency_us script epoch_s epoch_us [lag].
window_figures() {
    cat "$work"/pgbench_log.* | awk -v a="$1" -v b="$2" '{ t = $5 + $6 / 1e6; if (t >= a && t <= b + 1) {
            n++; if ($3 > m) m = $3; if ($3 > 50000) o50++; if ($3 > 100000) o100++ } }
        END { printf "%d %.1f %d %d\n", n, m / 1000, o50, o100 }'
}

failed_transactions() {
    cat "$work"/round.* | grep -oP 'number of failed transactions: \K[0-9]+' | awk '{ s += $1 } END { print s + 0 }'
}

point_app() {
    cat >"$work/app.sql" <<EOF2
\set id random(1, $1)
SELECT balance FROM account WHERE id = :id;
UPDATE account SET balance = balance + 1 WHERE id = :id;
EOF2
}

measure() {
    local change=$1 side_pid=""
    shift
    load_rounds "$@" &
    local load=$!
    if [ -n "${side:-}" ]; then
        sleep 2
        eval "$side" &
        side_pid=$!
        sleep 1
    else
        sleep 3
    fi
    t0=$(now_s)
    eval "$change"
    t1=$(now_s)
    [ -z "$side_pid" ] || wait "$side_pid"
    sleep 2
    touch "$work/done"
    wait "$load"
}

rated_row() {
    local n max over50 over100
    read -r n max over50 over100 <<<"$(window_figures "$t0" "$t1")"
    printf '| %s | %.1f s | %s | %s | %s ms | %s | %s |\n' "$1" "$(echo "$t1 - $t0" | bc)" \
        "$(failed_transactions)" "$n" "$max" "$over50" "$over100" | tee -a "$work/results.md"
}
