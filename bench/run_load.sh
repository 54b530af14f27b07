#!/usr/bin/env bash
# Relationship loading and bulk insert (make bench-load; docs/benchmarks.md), in one throwaway
# cluster on the same data: 10,000 teams, 1,000,000 heroes, 3 powers for each of 100,000 heroes.
#   load: ender selectin vs hand-written libpq (same two queries, binary), on narrow rows and on
#         wide rows (text of 39 bytes, nullable int, timestamptz, numeric, uuid), vs N+1 through
#         ender's single-object API (a subset of teams) vs SQLAlchemy 1.4 selectinload (and
#         SQLModel when Debian's python3-sqlmodel is installed)
#   insert: ender insert_many (COPY binary) of 1,000,000 heroes vs psql \copy vs SQLAlchemy
# Each run is its own process under /usr/bin/time -v (peak memory). ender and libpq take turns
# (the order swapped every round) for BENCH_RUNS rounds (default 5): the median time and the
# median peak memory of each, and their ratios. The other C++ rows are the best of BENCH_RUNS.
# BENCH_PEERS=0 leaves out SQLAlchemy and SQLModel.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
py=/usr/bin/python3

if [ -z "${ENDER_BENCH_IN_CLUSTER:-}" ]; then
    export ENDER_BENCH_IN_CLUSTER=1
    exec pg_virtualenv -t -v 15 "${BASH_SOURCE[0]}" "$@"
fi

runs="${BENCH_RUNS:-5}"
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

# once NAME CMD...: one run of CMD; appends its time (ms), its process's CPU time (user + system,
# seconds) and its peak memory (kB) to NAME's lists.
once() {
    local name=$1
    shift
    /usr/bin/time -v -o "$work/time" "$@" >"$work/out"
    tail -1 "$work/out" >"$work/$name.line"
    sed -n 's/.* ms=\([0-9.]*\).*/\1/p' "$work/$name.line" >>"$work/$name.ms"
    awk '/Maximum resident/ {print $6}' "$work/time" >>"$work/$name.kb"
    awk '/User time|System time/ {s += $NF} END {print s}' "$work/time" >>"$work/$name.cpu"
}
median() { sort -g "$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# alternate A B: modes A and B of load_bench in turn, $runs rounds, the order swapped every round;
# prints the median time and peak memory of each and the ratios A / B. Both must have read the
# same data (their check= values, when they print one, must be equal).
alternate() {
    local a=$1 b=$2 i
    rm -f "$work/$a".* "$work/$b".*
    for ((i = 0; i < runs; i++)); do
        local first=$a second=$b
        if ((i % 2)); then first=$b second=$a; fi
        once "$first" "$bin" "$first"
        once "$second" "$bin" "$second"
    done
    local ca cb
    ca=$(sed -n 's/.* check=\([0-9]*\).*/\1/p' "$work/$a.line")
    cb=$(sed -n 's/.* check=\([0-9]*\).*/\1/p' "$work/$b.line")
    if [ "$ca" != "$cb" ]; then
        echo "bench-load: $a and $b did not read the same data (check $ca vs $cb)" >&2
        exit 1
    fi
    for m in "$a" "$b"; do
        printf '%-22s %s median_ms=%s cpu_s=%s peak_mb=%d (median of %d)\n' "$m" \
            "$(sed 's/ ms=[0-9.]*//' "$work/$m.line")" "$(median "$work/$m.ms")" \
            "$(median "$work/$m.cpu")" $(($(median "$work/$m.kb") / 1024)) "$runs" |
            tee -a "$work/results"
    done
    awk -v a="$(median "$work/$a.ms")" -v b="$(median "$work/$b.ms")" \
        -v ca="$(median "$work/$a.cpu")" -v cb="$(median "$work/$b.cpu")" \
        -v ka="$(median "$work/$a.kb")" -v kb="$(median "$work/$b.kb")" -v na="$a" -v nb="$b" \
        'BEGIN {cpu = cb > 0 ? sprintf("%.2fx", ca / cb) : "n/a"
                printf "%s / %s: time %.2fx, process CPU %s, peak memory %.2fx\n", na, nb, a / b,
                    cpu, ka / kb}' | tee -a "$work/results"
}

# vs NAME: SQLAlchemy's last time against ender mode ENDER's median.
vs() {
    awk -v p="$(sed -n 's/.* ms=\([0-9.]*\).*/\1/p' "$work/out")" -v e="$(median "$work/$2.ms")" \
        -v n="$1" -v en="$2" 'BEGIN {printf "%s / %s: time %.1fx\n", n, en, p / e}' |
        tee -a "$work/results"
}

alternate ender-selectin libpq
alternate ender-wide libpq-wide
measure ender-powers "$bin" ender-powers
runs=1 measure "ender-n+1($subset)" "$bin" ender-n+1 "$subset"
peers=${BENCH_PEERS:-1}  # BENCH_PEERS=0: ender and libpq only (a quick check after a change)
if [ "$peers" = 1 ]; then
    runs=1 measure sqlalchemy-selectin "$py" "$here/load_bench.py" selectin
    vs sqlalchemy-selectin ender-selectin
    runs=1 measure sqlalchemy-wide "$py" "$here/load_bench.py" selectin-wide
    vs sqlalchemy-wide ender-wide
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
