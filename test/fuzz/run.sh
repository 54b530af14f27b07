#!/bin/sh
# Builds the parser fuzzers into build/fuzz and runs each for a bounded time:
#   migration_file_fuzz  parse_migration (render/parse round trip)
#   target_fuzz          upgrade/downgrade/stamp targets (valid plans)
#   snapshot_fuzz        parse_snapshot, then renames and the diff of what it read (no crash)
# Usage: test/fuzz/run.sh [extra libFuzzer flags]   (e.g. -max_total_time=600)
# Exits non-zero when a fuzzer finds a crash; the reproducer lands in build/fuzz/.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/build/fuzz"
cxx=${CXX_FUZZ:-clang++-14}
mkdir -p "$out"

status=0
for name in migration_file target snapshot; do
    "$cxx" -g -O1 -std=c++20 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
        -I "$root/extension/src" \
        "$root/test/fuzz/${name}_fuzz.cpp" "$root"/extension/src/engine/*.cpp \
        -lsimdjson -o "$out/${name}_fuzz"
    # New inputs go to build/fuzz/corpus; the committed seeds are only read.
    mkdir -p "$out/corpus/$name"
    (cd "$out" && "./${name}_fuzz" -runs=50000 -max_total_time=60 -max_len=4096 \
        -dict="$root/test/fuzz/$name.dict" "$@" \
        "$out/corpus/$name" "$root/test/fuzz/corpus/$name") || status=$?
done
exit $status
