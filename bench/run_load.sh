#!/usr/bin/env bash
# Relationship loading and bulk insert (make bench-load; docs/benchmarks.md), in one throwaway
# cluster on the same data: 10,000 teams, 1,000,000 heroes, 3 powers for each of 100,000 heroes.
#   load: ender selectin vs hand-written libpq (same two queries, binary) vs N+1 through ender's
#         single-object API (a subset of teams) vs SQLAlchemy 1.4 selectinload (and SQLModel
#         when Debian's python3-sqlmodel is installed)
#   insert: ender insert_many (COPY binary) of 1,000,000 heroes vs psql \copy vs SQLAlchemy
# Each run is its own process under /usr/bin/time -v (peak memory); times are the best of
# BENCH_RUNS (default 3) runs, taken in turn. BENCH_PEERS=0 leaves out SQLAlchemy and SQLModel.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
py=/usr/bin/python3

if [ -z "${ENDER_BENCH_IN_CLUSTER:-}" ]; then
    export ENDER_BENCH_IN_CLUSTER=1
    exec pg_virtualenv -t -v 15 "${BASH_SOURCE[0]}" "$@"
fi

runs="${BENCH_RUNS:-3}"
subset="${BENCH_NPLUS1_TEAMS:-1000}"
build="$root/build/client-release"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target load_bench >/dev/null
bin="$build/load_bench"

work="$(mktemp -d /tmp/ender-bench-load.XXXXXX)"
trap 'rm -rf "$work"' EXIT
createdb bench
export PGDATABASE=bench
echo "bench-load: creating the data"
"$bin" setup

# measure NAME CMD...: runs CMD $runs times; prints its best line with the peak memory (MB).
measure() {
    local name=$1 best="" best_ms="" peak=0
    shift
    for ((i = 0; i < runs; i++)); do
        /usr/bin/time -v -o "$work/time" "$@" >"$work/out"
        local line ms kb
        line=$(tail -1 "$work/out")
        ms=$(sed -n 's/.* ms=\([0-9.]*\).*/\1/p' <<<"$line")
        kb=$(awk '/Maximum resident/ {print $6}' "$work/time")
        ((kb > peak)) && peak=$kb
        if [ -z "$best_ms" ] || awk "BEGIN {exit !($ms < $best_ms)}"; then
            best_ms=$ms
            best=$line
        fi
    done
    printf '%-22s %s peak_mb=%d\n' "$name" "$best" $((peak / 1024)) | tee -a "$work/results"
}

measure ender-selectin "$bin" ender-selectin
measure libpq "$bin" libpq
measure ender-powers "$bin" ender-powers
runs=1 measure "ender-n+1($subset)" "$bin" ender-n+1 "$subset"
peers=${BENCH_PEERS:-1}  # BENCH_PEERS=0: ender and libpq only (a quick check after a change)
if [ "$peers" = 1 ]; then
    runs=1 measure sqlalchemy-selectin "$py" "$here/load_bench.py" selectin
fi
if [ "$peers" != 1 ]; then
    :
elif "$py" -c "import sqlmodel" 2>/dev/null; then
    runs=1 measure sqlmodel-selectin "$py" "$here/load_bench.py" selectin --sqlmodel
else
    echo "sqlmodel-selectin      not run: python3-sqlmodel is not installed"
fi

measure ender-insert "$bin" ender-insert
psql -X -q -c "\\copy (SELECT 'hero ' || i, 1 + ((i - 1)::bigint * 7919) % 10000 FROM generate_series(1, 1000000) i) TO '$work/heroes.tsv'"
copy_once() {
    psql -X -q -c "TRUNCATE hero_copy RESTART IDENTITY"
    local t0 t1
    t0=$(date +%s%N)
    psql -X -q -c "\\copy hero_copy (name, team_id) FROM '$work/heroes.tsv'"
    t1=$(date +%s%N)
    echo "psql-copy ms=$(((t1 - t0) / 1000000)) statements=1 teams=0 heroes=1000000"
}
export -f copy_once
export work
measure psql-copy bash -c copy_once
if [ "$peers" = 1 ]; then
    runs=1 measure sqlalchemy-insert "$py" "$here/load_bench.py" insert
fi
