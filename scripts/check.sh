#!/usr/bin/env bash
# make check: the fast inner loop. The engine's unit tests, pg_regress and the client's tests,
# built without sanitizers in build/check (make test is the whole suite, under the sanitizers).
# Uses the cluster the PG* environment points at when one answers (pg_regress creates and
# drops its own database there), else a throwaway one from pg_virtualenv.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '%s  [%ds]\n' "$1" "$SECONDS"; }

if [ "${1:-}" != "--in-cluster" ]; then
    say "== building the engine and client tests (no sanitizers, build/check)"
    cmake -S . -B build/check -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" \
        -DENDER_BUILD_TESTS=ON -DENDER_WERROR=ON >/dev/null
    cmake --build build/check -j"$(nproc)" --target engine_tests client_tests
    say "== engine unit tests"
    build/check/engine_tests --gtest_brief=1
    if [ -n "${PGHOST:-}${PGPORT:-}" ] && pg_isready -q; then
        exec "$0" --in-cluster
    fi
    say "== starting a throwaway cluster"
    exec pg_virtualenv -t -v 15 "$0" --in-cluster
fi

say "-- pg_regress"
if ! make -s installcheck; then
    cat build/regress/regression.diffs 2>/dev/null || true
    exit 1
fi
say "-- client tests"
build/check/client_tests --gtest_brief=1
say "-- make check passed"
