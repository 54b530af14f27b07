#!/usr/bin/env bash
# The service example, end to end, against the server the PG* variables point at: the service
# migrates its database itself when it starts (the files are compiled into it, one revision
# runs a C++ data step), three copies start at once, and its migrate program undoes the step.
# Run by the test suite (examples/*/run.sh); test/cli/migrate.sh tests the same program harder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
db=${ENDER_DEMO_DB:-service}
run() { echo; echo "\$ $*"; }
app=${ENDER_SERVICE_APP:-$here/../../build/cmake/service_app}
if [ ! -x "$app" ]; then
    run "cmake --build build/cmake --target service_app"
    cmake -S "$here/../.." -B "$here/../../build/cmake" -DENDER_BUILD_EXAMPLES=ON >/dev/null
    cmake --build "$here/../../build/cmake" -j2 --target service_app >/dev/null
fi

dropdb --if-exists "$db" 2>/dev/null
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION ender"

run "three copies of the service start at once"
for n in 1 2 3; do PGDATABASE="$db" "$app" >"${TMPDIR:-/tmp}/service.$$.$n" & done
wait
cat "${TMPDIR:-/tmp}"/service.$$.*
applied=$(cat "${TMPDIR:-/tmp}"/service.$$.* | grep -c "applied=3 " || true)
rm -f "${TMPDIR:-/tmp}"/service.$$.*

run "psql: SELECT * FROM ender_current(); the emails the step wrote"
current=$(psql -X -A -t -d "$db" -c "SELECT string_agg(c, ',') FROM ender_current() c")
echo "$current"
psql -X -d "$db" -c "SELECT name, email FROM account ORDER BY id"

run "service migrate downgrade svc0001accts --dir examples/service/migrations"
PGDATABASE="$db" "$app" migrate downgrade svc0001accts --dsn "dbname=$db" --dir "$here/migrations"
emptied=$(psql -X -A -t -d "$db" -c "SELECT count(*) FROM account WHERE email IS NULL")
echo "accounts without an email again: $emptied"

if [ "$applied" != 1 ] || [ "$current" != svc0003req ] || [ "$emptied" != 3 ]; then
    echo "service example: unexpected end state (applied by $applied copies, current=$current, emptied=$emptied)" >&2
    exit 1
fi
echo
echo "service example: ok"
