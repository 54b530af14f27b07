#!/usr/bin/env bash
# split REVISION: a revision that adds and removes schema becomes two (the additive statements
# kept, the subtractive ones in a new child revision, the downgrade divided alike, children
# moved onto the new revision); the pair upgrades and downgrades exactly as the original did.
# Revisions that cannot be split (interleaved statements, applied) are refused, files untouched.
source "$(dirname "$0")/lib.sh"
db=ender_cli_split
scratch_db "$db"
cd "$work"
dsn="dbname=$db"
mkdir migrations
revision() {  # revision FILE ID PARENTS UPGRADE DOWNGRADE
    printf -- '-- ender:revision %s\n%s-- ender:message %s\n-- ender:upgrade\n%s\n-- ender:downgrade\n%s\n' \
        "$2" "${3:+-- ender:parents $3
}" "change $2" "$4" "$5" >"migrations/$1.sql"
}
revision 1_r1 r1 "" "CREATE TABLE hero (id integer PRIMARY KEY, name text, power integer);" \
    "DROP TABLE hero;"
revision 2_r2 r2 r1 "ALTER TABLE hero ADD COLUMN rank integer;
CREATE TABLE team (id integer PRIMARY KEY);
-- the old column goes
ALTER TABLE hero DROP COLUMN power;" "ALTER TABLE hero ADD COLUMN power integer;
DROP TABLE team;
ALTER TABLE hero DROP COLUMN rank;"
revision 3_r3 r3 r2 "CREATE INDEX hero_name ON hero (name);" "DROP INDEX hero_name;"
columns() { psql_q -d "$db" -c "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'hero'::regclass AND attnum > 0 AND NOT attisdropped"; }
expect 0 upgrade r1 --dsn "$dsn"

echo "   a plan over a fleet names the command that splits a mixed revision"
echo "$dsn" >fleet.txt
expect 3 upgrade --dsn-file fleet.txt --plan
has 'revision "r2" both adds and removes schema in a replicated fleet' err
has 'HINT:  Run "ender split r2"' err

echo "   split r2: two revisions, the child of r2 moved onto the new one"
before=$(cat migrations/*.sql | md5sum)
expect 0 split r2 --dsn "$dsn" --json
is_json
new=$(json 'd["new_revision"]')
same "$(json 'd["additive_statements"]')" 2
same "$(json 'd["subtractive_statements"]')" 1
same "$(json 'd["reparented"]')" "['r3']"
newfile=$(json 'd["new_file"]')
grep -q "^ALTER TABLE hero DROP COLUMN power;" "$newfile" || { echo "FAIL: $(cat "$newfile")"; failures=$((failures + 1)); }
grep -q "^-- ender:parents r2$" "$newfile" || { echo "FAIL: parents of $newfile"; failures=$((failures + 1)); }
grep -q "DROP COLUMN power" migrations/2_r2.sql && { echo "FAIL: r2 still drops power"; failures=$((failures + 1)); }
grep -q "^CREATE TABLE team" migrations/2_r2.sql || { echo "FAIL: r2 lost its CREATE TABLE"; failures=$((failures + 1)); }
grep -q "^-- ender:parents $new$" migrations/3_r3.sql || { echo "FAIL: r3 not moved: $(cat migrations/3_r3.sql)"; failures=$((failures + 1)); }
# The downgrade divided as well: the child puts power back, r2 removes team and rank.
awk '/^-- ender:downgrade/{d=1} d' "$newfile" | grep -q "ADD COLUMN power" || { echo "FAIL: the child's downgrade"; failures=$((failures + 1)); }
awk '/^-- ender:downgrade/{d=1} d' migrations/2_r2.sql | grep -q "DROP TABLE team" || { echo "FAIL: r2's downgrade"; failures=$((failures + 1)); }
[ "$(cat migrations/*.sql | md5sum)" != "$before" ] || { echo "FAIL: nothing written"; failures=$((failures + 1)); }

echo "   the fleet plan orders the halves; the pair upgrades and downgrades as r2 did"
expect 0 upgrade --dsn-file fleet.txt --plan --json
same "$(json '" ".join(s["revision"] + ":" + s["class"] for s in d["steps"])')" \
    "r2:additive $new:subtractive r3:additive"
expect 0 upgrade --dsn "$dsn"
same "$(columns)" "id,name,rank"
same "$(psql_q -d "$db" -c "SELECT string_agg(c, ',') FROM ender_current() c")" r3
expect 0 downgrade r1 --dsn "$dsn"
same "$(columns)" "id,name,power"
same "$(psql_q -d "$db" -c "SELECT to_regclass('team') IS NULL")" t
expect 0 upgrade --dsn "$dsn"
same "$(columns)" "id,name,rank"

echo "   refused: applied, not mixed, interleaved, unknown; files untouched"
before=$(cat migrations/*.sql | md5sum)
expect 3 split r2 --dsn "$dsn"
has 'revision "r2" is applied on' err
revision 4_r4 r4 r3 "ALTER TABLE hero DROP COLUMN rank;
ALTER TABLE hero ADD COLUMN level integer;" "ALTER TABLE hero DROP COLUMN level;
ALTER TABLE hero ADD COLUMN rank integer;"
before=$(cat migrations/*.sql | md5sum)
expect 2 split r4 --dsn "$dsn"
has 'revision "r4" cannot be split' err
has "line 2 (ALTER TABLE hero ADD COLUMN level integer) adds schema after a statement that removes some" err
expect 3 upgrade --dsn-file fleet.txt --plan
has "An additive statement follows a subtractive one (line 2: ALTER TABLE hero ADD COLUMN level" err
has "HINT:  Split it by hand into two revisions" err
rm migrations/4_r4.sql
revision 4_r4 r4 r3 "ALTER TABLE hero ADD COLUMN level integer;" "ALTER TABLE hero DROP COLUMN level;"
before=$(cat migrations/*.sql | md5sum)
expect 0 split r4 --dsn "$dsn"
has "revision r4 only adds schema: nothing to split" out
printf -- '-- ender:revision r5\n-- ender:parents r4\n-- ender:online set_not_null hero name\n-- ender:upgrade\n' >migrations/5_r5.sql
before=$(cat migrations/*.sql | md5sum)
expect 2 split r5 --dsn "$dsn"
has 'online revision "r5" cannot be split' err
expect 2 split nope --dsn "$dsn"
has 'revision "nope" has no file' err
expect 2 split r4 --dsn "$dsn" --dsn-file fleet.txt
has "--dsn and --dsn-file cannot be used together" err
expect 2 split --dsn "$dsn"
[ "$(cat migrations/*.sql | md5sum)" = "$before" ] || { echo "FAIL: a refused split wrote files"; failures=$((failures + 1)); }

finish split
