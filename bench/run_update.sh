#!/usr/bin/env bash
# Bulk updates by key (make bench-update; docs/benchmarks.md), in one throwaway cluster on the same
# 100,000 rows: ender update_many (one UPDATE ... FROM unnest) vs one UPDATE per row through
# ender (prepared, one transaction) vs SQLAlchemy 1.4 Session.bulk_update_mappings.
# Each run is its own process; times are the best of BENCH_RUNS (default 3) runs, taken in turn.
# BENCH_ROWS sets the row count; BENCH_PEERS=0 leaves out SQLAlchemy.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
py=/usr/bin/python3

if [ -z "${ENDER_BENCH_IN_CLUSTER:-}" ]; then
    export ENDER_BENCH_IN_CLUSTER=1
    exec pg_virtualenv -t -v 15 "${BASH_SOURCE[0]}" "$@"
fi

runs="${BENCH_RUNS:-3}"
build="$root/build/client-release"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target update_bench >/dev/null
bin="$build/update_bench"

createdb bench
export PGDATABASE=bench
"$bin" setup "${BENCH_ROWS:-100000}"

# measure NAME CMD...: runs CMD $runs times, one vacuum before each; prints its best line.
measure() {
    local name=$1 best="" best_ms=""
    shift
    for ((i = 0; i < runs; i++)); do
        psql -X -q -c "VACUUM update_hero"
        local line ms
        line=$("$@" | tail -1)
        ms=$(sed -n 's/.* ms=\([0-9.]*\).*/\1/p' <<<"$line")
        if [ -z "$best_ms" ] || awk "BEGIN {exit !($ms < $best_ms)}"; then
            best_ms=$ms
            best=$line
        fi
    done
    printf '%-34s %s\n' "$name" "$best"
}

measure ender-update-many "$bin" ender-update-many
measure ender-per-row "$bin" ender-per-row
if [ "${BENCH_PEERS:-1}" = 1 ]; then
    measure sqlalchemy-bulk-update-mappings "$py" "$here/update_bench.py" bulk-update-mappings
fi
