#!/usr/bin/env bash
# The whole test suite (make test): engine unit tests under ASan/UBSan with no server, the
# client's compile-fail tests and the docs' C++ blocks, the parser fuzzers for a short while,
# then pg_regress, the integration tests, the client tests and the examples inside a throwaway
# cluster that pg_virtualenv creates and removes. Exits non-zero on the first failing suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each heading shows the seconds since this script started.
say() { printf '%s  [%ds]\n' "$1" "$SECONDS"; }

jobs=$(nproc)
scripts/check-versions.sh
# Line tables only (-g1): enough for the sanitizers' stack traces, and cheaper to build.
say "== building engine, client and integration tests (ASan; UBSan for the engine)"
cmake -S . -B build/cmake -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DENDER_SANITIZE=ON \
    -DENDER_BUILD_TESTS=ON -DENDER_WERROR=ON >/dev/null
cmake --build build/cmake -j"$jobs"

say "== building the pool's tests under ThreadSanitizer"
cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 -DENDER_TSAN=ON \
    -DENDER_BUILD_TESTS=ON -DENDER_WERROR=ON >/dev/null
cmake --build build/tsan -j"$jobs" --target pool_tests

say "== style: clang-format and clang-tidy (make style)"
scripts/check-style.sh build/cmake

say "== engine unit tests"
build/cmake/engine_tests --gtest_brief=1

say "== client compile-fail tests (mapping and query mistakes must not compile), docs' C++ blocks"
ctest --test-dir build/cmake -R '^(compile_fail|doc_snippet)\.' -j"$jobs" --output-on-failure \
    >build/compile-fail.log 2>&1 ||
    { cat build/compile-fail.log; exit 1; }
grep -h "tests passed" build/compile-fail.log || true

say "== parser fuzzers (short run: the committed corpus plus new inputs; make fuzz runs longer)"
test/fuzz/run.sh -max_total_time=20 >build/fuzz.log 2>&1 || { tail -40 build/fuzz.log; exit 1; }
grep -h "^Done" build/fuzz.log || true

say "== tests against a throwaway PostgreSQL 15 cluster"
pg_virtualenv -t -v 15 scripts/test-in-cluster.sh
say "== all tests passed"
