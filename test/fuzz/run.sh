#!/bin/sh
# Builds the parser fuzzers into build/fuzz and runs each for a bounded time:
#   migration_file_fuzz  parse_migration (render/parse round trip)
#   target_fuzz          upgrade/downgrade/stamp targets (valid plans)
#   snapshot_fuzz        parse_snapshot, then renames and the diff of what it read (no crash)
# Usage: test/fuzz/run.sh [extra libFuzzer flags]   (e.g. -max_total_time=600)
# The engine is compiled once (coverage-instrumented, ASan + UBSan) and linked into each fuzzer;
# the fuzzers run side by side, one per core. Exits non-zero when a fuzzer finds a crash; the
# reproducer lands in build/fuzz/.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/build/fuzz"
cxx=${CXX_FUZZ:-clang++-14}
flags="-g -O1 -std=c++20 -fno-sanitize-recover=all -I $root/extension/src"
jobs=$(nproc)
mkdir -p "$out/engine"

# The engine objects, in parallel.
ls "$root"/extension/src/engine/*.cpp |
    xargs -P "$jobs" -I{} sh -c 'o="$1/engine/$(basename "$2" .cpp).o"; exec $3 $4 -fsanitize=fuzzer-no-link,address,undefined -c "$2" -o "$o"' \
        sh "$out" {} "$cxx" "$flags"

names="migration_file target snapshot"
printf '%s\n' $names |
    xargs -P "$jobs" -I{} sh -c 'exec $1 $2 -fsanitize=fuzzer,address,undefined "$3/test/fuzz/$4_fuzz.cpp" "$5"/engine/*.o -lsimdjson -o "$5/$4_fuzz"' \
        sh "$cxx" "$flags" "$root" {} "$out"

# New inputs go to build/fuzz/corpus; the committed seeds are only read.
status=0
pids=""
for name in $names; do
    mkdir -p "$out/corpus/$name"
    (cd "$out" && exec "./${name}_fuzz" -runs=50000 -max_total_time=60 -max_len=4096 \
        -dict="$root/test/fuzz/$name.dict" "$@" \
        "$out/corpus/$name" "$root/test/fuzz/corpus/$name") >"$out/$name.log" 2>&1 &
    pids="$pids $!"
done
for pid in $pids; do
    wait "$pid" || status=$?
done
for name in $names; do
    echo "== $name"
    cat "$out/$name.log"
done
exit $status
