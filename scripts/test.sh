#!/usr/bin/env bash
# The whole test suite (make test): engine unit tests under ASan/UBSan with no server, then
# pg_regress and the integration tests inside a throwaway cluster that pg_virtualenv creates
# and removes. Exits non-zero on the first failing suite.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== building engine and integration tests (ASan, UBSan)"
cmake -S . -B build/cmake -DCMAKE_BUILD_TYPE=Debug -DENDER_SANITIZE=ON >/dev/null
cmake --build build/cmake -j2

echo "== engine unit tests"
build/cmake/engine_tests --gtest_brief=1

echo "== tests against a throwaway PostgreSQL 15 cluster"
pg_virtualenv -t -v 15 scripts/test-in-cluster.sh
echo "== all tests passed"
