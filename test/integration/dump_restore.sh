#!/usr/bin/env bash
# pg_dump keeps ender's state: after a dump and a restore into a new database,
# ender_current() and ender_history() are the same, and the restored database goes on
# registering and applying revisions. Runs inside pg_virtualenv (scripts/test-in-cluster.sh).
set -euo pipefail

src=ender_dump_src
dst=ender_dump_dst
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists "$src"; dropdb --if-exists "$dst"' EXIT
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

dropdb --if-exists "$src"; dropdb --if-exists "$dst"
createdb "$src"
psql_q -d "$src" >/dev/null <<'SQL'
CREATE EXTENSION ender;
SELECT ender_register(id => 'd1', parents => '{}', upgrade => 'CREATE TABLE widget (id int PRIMARY KEY)',
                      downgrade => 'DROP TABLE widget', message => 'create widget');
SELECT ender_register(id => 'd2', parents => '{d1}', upgrade => 'INSERT INTO widget VALUES (1)',
                      downgrade => 'DELETE FROM widget', branch_label => 'main');
SELECT ender_register(id => 'd3', parents => '{d1}', upgrade => 'ALTER TABLE widget ADD name text',
                      downgrade => 'ALTER TABLE widget DROP name');
SELECT * FROM ender_upgrade('main');
SELECT * FROM ender_upgrade('d3');
SELECT * FROM ender_downgrade('-1');
SELECT * FROM ender_upgrade('d3');
SELECT ender_register(id => 'd4', parents => '{d2}', upgrade => 'SELECT 1/0');
SQL
# A failed attempt in the log, too.
psql_q -d "$src" -c "CALL ender_upgrade_logged('d4')" 2>/dev/null && { echo "expected d4 to fail"; exit 1; }

pg_dump -d "$src" -f "$work/dump.sql"
createdb "$dst"
psql_q -d "$dst" -f "$work/dump.sql" >/dev/null

state() {
    psql -X -A -t -v ON_ERROR_STOP=1 -d "$1" <<'SQL'
SELECT 'current', string_agg(c, ',' ORDER BY c) FROM ender_current() c;
SELECT 'heads', string_agg(h, ',' ORDER BY h) FROM ender_heads() h;
SELECT 'history', h::text FROM ender_history() h ORDER BY id;
SELECT 'revision', r::text FROM ender.revision r ORDER BY seq;
SELECT 'applied', a::text FROM ender.applied a ORDER BY seq;
SELECT 'widget', w::text FROM widget w ORDER BY id;
SQL
}
state "$src" > "$work/src.txt"
state "$dst" > "$work/dst.txt"
if ! diff -u "$work/src.txt" "$work/dst.txt"; then
    echo "dump_restore: the restored database differs"; exit 1
fi
grep -q '^current|d2,d3$' "$work/dst.txt" || { echo "dump_restore: unexpected current heads"; cat "$work/dst.txt"; exit 1; }
[ "$(grep -c '^history|' "$work/dst.txt")" -eq 6 ] || { echo "dump_restore: expected 6 history rows"; exit 1; }
grep -q '^history|.*,failed,' "$work/dst.txt" || { echo "dump_restore: the failed attempt is missing"; exit 1; }

# The restored database keeps working: identities continue, revisions apply and undo.
psql_q -d "$dst" >/dev/null <<'SQL'
SELECT ender_register(id => 'd4', parents => '{d2}', upgrade => 'INSERT INTO widget VALUES (2)',
                      downgrade => 'DELETE FROM widget WHERE id = 2', replace => true);
SELECT ender_register(id => 'd5', parents => '{d3, d4}', upgrade => 'SELECT 1', downgrade => '');
DO $$
BEGIN
    IF (SELECT string_agg(x, ',') FROM ender_upgrade() x) IS DISTINCT FROM 'd4,d5' THEN
        RAISE EXCEPTION 'unexpected upgrade after restore';
    END IF;
    IF (SELECT count(*) FROM ender.log) <> 8 OR (SELECT max(seq) FROM ender.revision) <> 5 THEN
        RAISE EXCEPTION 'log or revision sequence did not continue after restore';
    END IF;
END $$;
SQL
echo "dump_restore: ok (current, heads, history, revisions and data identical after restore)"
