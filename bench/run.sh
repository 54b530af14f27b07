#!/usr/bin/env bash
# The revision-engine benchmarks (docs/benchmarks.md): ender vs the psql floor vs Alembic, side by
# side in one throwaway cluster. `make bench` builds and installs the extension, then runs this.
#
#   BENCH_RUNS=5       timed runs per tool and case (after one untimed warm-up)
#   BENCH_COUNT=1000   revisions per case
#   BENCH_DOC=path     where to write the results block (default docs/benchmarks.md; "" = nowhere)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
py=/usr/bin/python3   # Debian's Python, which has Alembic, SQLAlchemy and psycopg2

if [ -z "${ENDER_BENCH_IN_CLUSTER:-}" ]; then
    # Re-run this script inside one fresh throwaway cluster, removed afterwards.
    export ENDER_BENCH_IN_CLUSTER=1
    exec pg_virtualenv -t -v 15 "${BASH_SOURCE[0]}" "$@"
fi

runs="${BENCH_RUNS:-5}"
count="${BENCH_COUNT:-1000}"
doc="${BENCH_DOC-$root/docs/benchmarks.md}"

work="$(mktemp -d /tmp/ender-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "bench: generating $count revisions per case in $work"
for case in inserts tables; do
    dir="$work/$case"
    mkdir -p "$dir"
    # A stock Alembic project (alembic init, generic template), pointed at the same server as
    # psql: no host in the URL, so libpq takes PGHOST/PGPORT/PGUSER/PGPASSWORD like psql does.
    (cd "$dir" && "$py" -m alembic init alembic >/dev/null)
    sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = postgresql+psycopg2:///bench|' "$dir/alembic.ini"
    "$py" "$here/gen_revisions.py" --case "$case" --count "$count" --out "$dir" \
        --alembic-versions "$dir/alembic/versions"
done

args=(--work "$work" --runs "$runs")
[ -n "$doc" ] && args+=(--doc "$doc")
"$py" "$here/driver.py" "${args[@]}"
