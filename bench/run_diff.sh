#!/usr/bin/env bash
# The snapshot + diff benchmark (docs/benchmarks.md): ender_diff vs Alembic's compare_metadata vs
# apgdiff on one 2,000-table schema, in one throwaway cluster. `make bench-diff` (and `make bench`)
# build and install the extension, then run this.
#
#   BENCH_RUNS=3        timed runs per tool and case (after one untimed warm-up)
#   BENCH_TABLES=2000   tables in the schema
#   BENCH_DOC=path      where to write the results block (default docs/benchmarks.md; "" = nowhere)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

if [ -z "${ENDER_BENCH_IN_CLUSTER:-}" ]; then
    # Re-run this script inside one fresh throwaway cluster, removed afterwards.
    export ENDER_BENCH_IN_CLUSTER=1
    exec pg_virtualenv -t -v 15 "${BASH_SOURCE[0]}" "$@"
fi

work="$(mktemp -d /tmp/ender-bench-diff.XXXXXX)"
trap 'rm -rf "$work"' EXIT

args=(--work "$work" --runs "${BENCH_RUNS:-3}" --tables "${BENCH_TABLES:-2000}")
doc="${BENCH_DOC-$root/docs/benchmarks.md}"
[ -n "$doc" ] && args+=(--doc "$doc")
/usr/bin/python3 "$here/diff_driver.py" "${args[@]}"
