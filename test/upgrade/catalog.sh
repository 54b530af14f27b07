#!/usr/bin/env bash
# Catalog equality of the update path: for every older version the installed extension offers,
# CREATE EXTENSION ender VERSION 'old' followed by ALTER EXTENSION ender UPDATE (so every update
# script from there on) must give exactly the catalog of a fresh CREATE EXTENSION ender
# (test/upgrade/catalog.sql lists it). A change made to the install script and forgotten in
# the update script fails here, naming the object. The test then checks that it would notice:
# a changed comment and an added column in the updated database are reported.
# Runs inside pg_virtualenv (scripts/test-in-cluster.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fresh=ender_catalog_fresh
updated=ender_catalog_updated
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists "$fresh"; dropdb --if-exists "$updated"' EXIT
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
catalog() { psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$here/catalog.sql" >"$2"; }

dropdb --if-exists "$fresh"; dropdb --if-exists "$updated"
createdb "$fresh"
q "$fresh" -c "CREATE EXTENSION ender"
latest=$(q "$fresh" -c "SELECT extversion FROM pg_extension WHERE extname = 'ender'")
catalog "$fresh" "$work/fresh.txt"
objects=$(grep -c '^member ' "$work/fresh.txt")
[ "$objects" -gt 30 ] || fail "only $objects member objects listed for a fresh install"

olds=$(q "$fresh" -c "SELECT version FROM pg_available_extension_versions
                      WHERE name = 'ender' AND version <> '$latest' ORDER BY string_to_array(version, '.')::int[]")
[ -n "$olds" ] || fail "no older version of ender is installed: 0.1's install script is missing"
for old in $olds; do
    dropdb --if-exists "$updated"
    createdb "$updated"
    q "$updated" -c "CREATE EXTENSION ender VERSION '$old'"
    q "$updated" -c "ALTER EXTENSION ender UPDATE"
    got=$(q "$updated" -c "SELECT extversion FROM pg_extension WHERE extname = 'ender'")
    [ "$got" = "$latest" ] || fail "ALTER EXTENSION ender UPDATE from $old reached $got, not $latest"
    catalog "$updated" "$work/updated.txt"
    if ! diff -u "$work/fresh.txt" "$work/updated.txt" >"$work/diff.txt"; then
        cat "$work/diff.txt"
        fail "$old updated to $latest differs from a fresh install of $latest (- fresh, + updated):" \
            "a change to extension/ender.sql, snapshot_objects.sql or snapshot.sql is missing from the update script"
    fi
    echo "   $old -> $latest: the same catalog as a fresh $latest ($objects objects)"
done

# The comparison notices a difference: a comment, then a column.
q "$updated" -c "COMMENT ON FUNCTION ender_current() IS 'changed'"
changes() { catalog "$updated" "$work/changed.txt"; diff "$work/fresh.txt" "$work/changed.txt" || true; }
changes | grep "^> comment function ender_current(): changed" >/dev/null ||
    fail "a changed comment went unnoticed"
q "$updated" -c "ALTER TABLE ender.revision ADD COLUMN extra int"
changes | grep '^> relation ender.revision column [0-9]* extra integer' >/dev/null ||
    fail "an added column went unnoticed"
echo "   catalog: ok (a changed comment and an added column are noticed)"
