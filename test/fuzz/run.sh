#!/bin/sh
# Builds the migration-file fuzzer into build/fuzz and runs it for a bounded time.
# Usage: test/fuzz/run.sh [extra libFuzzer flags]   (e.g. -max_total_time=600)
# Exits non-zero when the fuzzer finds a crash; the reproducer lands in build/fuzz/.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/build/fuzz"
cxx=${CXX_FUZZ:-clang++-14}
mkdir -p "$out/corpus/migration_file"

"$cxx" -g -O1 -std=c++20 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -I "$root/extension/src" \
    "$root/test/fuzz/migration_file_fuzz.cpp" "$root"/extension/src/engine/*.cpp \
    -o "$out/migration_file_fuzz"

# New inputs go to build/fuzz/corpus; the committed seeds are read only.
cd "$out"
exec ./migration_file_fuzz -runs=50000 -max_total_time=60 -max_len=4096 \
    -dict="$root/test/fuzz/migration_file.dict" "$@" \
    "$out/corpus/migration_file" "$root/test/fuzz/corpus/migration_file"
