#!/usr/bin/env bash
# Convergence test of ender_diff: for every fixture pair test/diff/pairs/<name>/{a,b}.sql,
# apply(diff(a, b)) to a must give b. Runs inside an existing throwaway cluster (the PG*
# variables set by pg_virtualenv), e.g.
#     pg_virtualenv -t -v 15 bash test/diff/run.sh [pair-or-glob ...]
# See test/diff/README.md. The work is done by harness.py, with Debian's python3 and its
# psycopg2 (package python3-psycopg2): the python3 first on PATH may lack psycopg2.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

py=
for candidate in /usr/bin/python3 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import psycopg2' 2>/dev/null; then
        py=$candidate
        break
    fi
done
if [ -z "$py" ]; then
    echo "test/diff/run.sh: needs python3 with psycopg2 (apt-get install python3-psycopg2)" >&2
    exit 2
fi
exec "$py" "$here/harness.py" "$@"
