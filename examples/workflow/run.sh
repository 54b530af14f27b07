#!/usr/bin/env bash
# The workflow example, end to end, against the database the PG* variables point at: models in
# C++ (migrate.cpp) → autogenerate → upgrade → load a graph with selectin → change a model →
# autogenerate (exactly the change) → upgrade → check passes → downgrade → check fails, listing
# the difference.
# Run by the test suite; by hand: pg_virtualenv -t -v 15 examples/workflow/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${ENDER_BUILD:-$root/build/cmake}
db=${ENDER_DEMO_DB:-workflow}
if [ ! -x "$build/workflow_migrate" ] || [ ! -x "$build/workflow_migrate_v2" ]; then
    cmake -S "$root" -B "$build" -DENDER_BUILD_EXAMPLES=ON >/dev/null
    cmake --build "$build" -j2 --target ender_cli workflow_migrate workflow_migrate_v2 >/dev/null
fi
# The application's migrate program, built on the first models and on the second.
v1=$build/workflow_migrate
v2=$build/workflow_migrate_v2
export ASAN_OPTIONS=detect_leaks=0
unset DATABASE_URL
export ENDER_DSN="dbname=$db"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
step() { echo; echo "### $*"; }
run() { echo "\$ $(basename "$1") ${*:2}"; "$@"; }
fail() { echo "workflow example: $*" >&2; exit 1; }

dropdb --if-exists "$db" 2>/dev/null
createdb "$db"
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE EXTENSION ender"

step "a migrations directory"
run "$v1" init

step "the first models (team, hero) against an empty database: one revision with everything"
run "$v1" revision --autogenerate -m "create team and hero"
cat migrations/*_create_team_and_hero.sql
run "$v1" upgrade
run "$v1" check
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c \
    "INSERT INTO team (name) VALUES ('Avengers'), ('Preventers');
     INSERT INTO hero (name, team_id) VALUES ('Deadpond', 1), ('Rusty-Man', 2), ('Spider-Boy', 1)"

step "the application loads every team with its heroes: selectin, two statements"
teams=$(run "$v1" teams)
echo "$teams"
grep -qxE "Avengers: (Deadpond Spider-Boy|Spider-Boy Deadpond)" <<<"$teams" || fail "teams loaded wrong: $teams"
grep -qx "(2 teams in 2 statements)" <<<"$teams" || fail "the load did not take exactly 2 statements: $teams"

step "a model changes (hero gains a phone): check sees it, autogenerate writes exactly that"
rc=0
run "$v2" check || rc=$?
[ "$rc" = 1 ] || fail "check before the new revision exited $rc, expected 1"
run "$v2" revision --autogenerate -m "add phone"
f2=$(ls migrations/*_add_phone.sql)
cat "$f2"
[ "$(sed -n '/^-- ender:upgrade$/,/^-- ender:downgrade$/p' "$f2" | grep -v '^--' | grep -v '^$')" = \
    'ALTER TABLE "public"."hero" ADD COLUMN "phone" text;' ] || fail "$f2 holds more than the change"
r1=$(basename migrations/*_create_team_and_hero.sql | cut -d_ -f1)
r2=$(basename "$f2" | cut -d_ -f1)
run "$v2" sql upgrade "$r1:$r2"
run "$v2" upgrade
run "$v2" check

step "downgrade: the database is behind the models again, and check says where"
run "$v2" downgrade -1
rc=0
run "$v2" check || rc=$?
[ "$rc" = 1 ] || fail "check after the downgrade exited $rc, expected 1"

step "back to head; the history; the round trip on a scratch database"
run "$v2" upgrade
run "$v2" history
run "$v2" test
run "$v2" check
[ "$(psql -X -A -t -d "$db" -c "SELECT string_agg(name, ',' ORDER BY id) FROM hero")" = Deadpond,Rusty-Man,Spider-Boy ] ||
    fail "the heroes are gone"
echo
echo "workflow example: ok"
