#!/usr/bin/env bash
# The heroes example, end to end, against the database the PG* variables point at:
# register the migration files, apply them, look at the history, undo and redo.
# Run by `make demo` (in a private cluster) and by the test suite.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
db=${ENDER_DEMO_DB:-heroes}
run() { echo; echo "\$ $*"; }
sql() { echo; echo "=> $1"; psql -X -v ON_ERROR_STOP=1 -d "$db" -c "$1"; }

dropdb --if-exists "$db" 2>/dev/null
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION ender"

run "register every file in examples/heroes/migrations"
for f in "$here"/migrations/*.sql; do
    printf '%s: ' "$(basename "$f")"
    psql -X -A -t -v ON_ERROR_STOP=1 -d "$db" -v source="$(cat "$f")" <<< "SELECT ender_register(:'source');"
done

sql "SELECT * FROM ender_heads()"
sql "SELECT * FROM ender_branches()"
sql "SELECT * FROM ender_upgrade('powers')"
sql "SELECT * FROM ender_current()"
sql "SELECT * FROM ender_upgrade()"
sql "SELECT * FROM ender_current()"
sql "SELECT t.name AS team, h.name AS hero, h.secret_name FROM hero h LEFT JOIN team t ON t.id = h.team_id ORDER BY h.id"
sql "SELECT * FROM ender_downgrade('-1')"
sql "SELECT * FROM ender_downgrade('c07e')"
sql "SELECT * FROM ender_current()"
sql "SELECT * FROM ender_upgrade('heads')"
sql "SELECT id, revision, operation, outcome, statements, message FROM ender_history()"
sql "SELECT id, parents, children, applied, is_current, message FROM ender_show('e2f7')"

# The walkthrough ends at the merge revision, with every table in place.
current=$(psql -X -A -t -d "$db" -c "SELECT string_agg(c, ',') FROM ender_current() c")
tables=$(psql -X -A -t -d "$db" -c "SELECT count(*) FROM pg_tables WHERE tablename IN ('team', 'hero', 'power', 'hero_power')")
heroes=$(psql -X -A -t -d "$db" -c "SELECT count(*) FROM hero")
if [ "$current" != "e2f7a0c9d4b6" ] || [ "$tables" != 4 ] || [ "$heroes" != 3 ]; then
    echo "heroes example: unexpected end state (current=$current tables=$tables heroes=$heroes)" >&2
    exit 1
fi

# The same database from C++ (examples/heroes/app.cpp): queries, relationships loaded in a
# fixed number of statements, a bulk insert. make test builds it; make demo builds it here.
app=${ENDER_HEROES_APP:-$here/../../build/cmake/heroes_app}
if [ ! -x "$app" ]; then
    run "cmake --build build/cmake --target heroes_app"
    cmake -S "$here/../.." -B "$here/../../build/cmake" -DENDER_BUILD_EXAMPLES=ON >/dev/null
    cmake --build "$here/../../build/cmake" -j2 --target heroes_app >/dev/null
fi
run "examples/heroes/app.cpp"
PGDATABASE="$db" "$app"
echo
echo "heroes example: ok"
