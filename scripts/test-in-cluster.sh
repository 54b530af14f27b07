#!/usr/bin/env bash
# Runs inside pg_virtualenv (PGHOST, PGPORT, PGUSER, PGPASSWORD point at a fresh cluster):
# pg_regress for the SQL surface, the integration tests, the client library's tests and its
# consumer test, the ender command (test/cli), the online-revision tests (test/online), the
# examples and the diff convergence pairs.
set -euo pipefail
cd "$(dirname "$0")/.."
# Each heading shows the seconds since this script started.
say() { printf '%s  [%ds]\n' "$1" "$SECONDS"; }

say "-- pg_regress"
if ! make -s installcheck; then
    cat build/regress/regression.diffs 2>/dev/null || true
    exit 1
fi

say "-- integration tests"
# ASan's leak checker cannot follow libpq's forked-off helpers; keep the rest of ASan on.
ASAN_OPTIONS=detect_leaks=0 build/cmake/integration_tests --gtest_brief=1
for t in test/integration/*.sh; do
    say "-- $t"
    bash "$t"
done

say "-- versioned updates: catalog of every update path, an update in use, dump/restore (test/upgrade)"
bash test/upgrade/run.sh

say "-- online revisions (test/online)"
bash test/online/run.sh

say "-- the attack suite (test/security)"
bash test/security/run.sh

say "-- client tests (libender against this cluster)"
ASAN_OPTIONS=detect_leaks=0 build/cmake/client_tests --gtest_brief=1
say "-- the session pool under ThreadSanitizer (32 threads over 8 sessions)"
build/tsan/pool_tests --gtest_brief=1
say "-- client consumer test (installed CMake package and pkg-config file)"
scripts/test-client-consumer.sh

say "-- the ender command (test/cli)"
bash test/cli/run.sh build/cmake/ender

say "-- examples"
for example in examples/*/run.sh; do
    echo "   $example"
    ENDER_DEMO_DB=example_test "$example" >/dev/null
done

say "-- diff convergence (test/diff/pairs; test/diff/pending is not run)"
bash test/diff/run.sh
