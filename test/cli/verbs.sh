#!/usr/bin/env bash
# The model-free verbs end to end: every verb's happy path, --json, the exit codes and the
# error paths (run by test/cli/run.sh).
source "$(dirname "$0")/lib.sh"
db=ender_cli_test
db2=ender_cli_test2
scratch_db "$db" "$db2"
cd "$work"

echo "   usage errors (exit 2)"
expect 2 frobnicate
has 'ender: error: unknown command "frobnicate"' err
has "HINT:  Commands:" err
expect 2
has "no command given" err
expect 2 current --bogus
has 'unknown option "--bogus"' err
expect 2 show
has '"show" needs an argument' err
expect 2 heads extra
has 'too many arguments for "heads"' err
expect 2 current --message x
has 'option "--message" does not apply to "current"' err
expect 2 upgrade --dir nowhere --dsn "dbname=$db"
has 'migrations directory "nowhere" does not exist' err
expect 0 --help
has "exit codes: 0 ok"

echo "   database errors (exit 3)"
expect 3 current --dsn "host=/nonexistent-socket-dir dbname=$db"
has "ender: error: could not connect to the server" err
expect 3 current --dsn "not a dsn"
has "ender: error:" err
expect 3 show nosuchrev --dsn "dbname=$db"
has "ender: error:" err

echo "   init"
expect 0 init
has "created migrations/"
has "created ender.toml"
[ -d migrations ] || { echo "FAIL: init made no migrations/"; failures=$((failures + 1)); }
grep -q '^dir = "migrations"' ender.toml || { echo "FAIL: ender.toml: $(cat ender.toml)"; failures=$((failures + 1)); }
expect 0 init
has "exists  migrations/"
# The configuration file gives the DSN.
echo "dsn = \"dbname=$db\"" >>ender.toml

echo "   revision"
expect 0 upgrade
has "nothing to do"
echo "-- no header here" >migrations/stray.sql
expect 1 revision -m "x"
has 'ender: error: migration file has no "-- ender:revision" line' err
has 'DETAIL:  In migration file "migrations/stray.sql".' err
rm migrations/stray.sql
expect 0 revision -m "create widget"
has "created migrations/"
r1=$(basename migrations/*_create_widget.sql .sql)
r1=${r1%%_*}
same "$(sed -n 1p migrations/*_create_widget.sql)" "-- ender:revision $r1"
grep -q "^-- ender:parents" migrations/*_create_widget.sql && { echo "FAIL: a root has parents"; failures=$((failures + 1)); }
f1=$(ls migrations/*_create_widget.sql)
cat >"$f1" <<EOF
-- ender:revision $r1
-- ender:message create widget
-- ender:upgrade
CREATE TABLE widget (id int PRIMARY KEY);
-- ender:downgrade
DROP TABLE widget;
EOF
expect 0 revision -m "add name" --json
is_json
r2=$(json 'd["revision"]')
same "$(json '",".join(d["parents"])')" "$r1"
f2=$(json 'd["file"]')
grep -q "^-- ender:parents $r1\$" "$f2" || { echo "FAIL: $f2 has not $r1 as parent"; failures=$((failures + 1)); }
cat >"$f2" <<EOF
-- ender:revision $r2
-- ender:parents $r1
-- ender:message add name
-- ender:upgrade
ALTER TABLE widget ADD name text;
-- ender:downgrade
ALTER TABLE widget DROP name;
EOF

echo "   upgrade, current, heads, history, show"
expect 0 current
same "$out" "$(printf 'revision  branch  message\n--------  ------  -------------------\nbase              no revision applied')"
expect 0 upgrade
has "applied $r1  create widget"
has "applied $r2  add name"
same "$(psql_q -d "$db" -c "SELECT count(*) FROM information_schema.columns WHERE table_name = 'widget'")" 2
expect 0 upgrade
has "nothing to do"
expect 0 current
has "$r2          add name"
expect 0 current --json
is_json
same "$(json 'd[0]["revision"]')" "$r2"
expect 0 heads --json
same "$(json '[r["revision"] for r in d]')" "['$r2']"
expect 0 history
has "operation"
has "$r1  upgrade    no       ok"
expect 0 history --json
same "$(json '[(r["revision"], r["operation"], r["outcome"]) for r in d]')" \
    "[('$r1', 'upgrade', 'ok'), ('$r2', 'upgrade', 'ok')]"
expect 0 show "$r2"
has "parents        $r1"
has "ALTER TABLE widget ADD name text;"
expect 0 show "$r1" --json
same "$(json 'd[0]["children"]')" "['$r2']"
same "$(json 'd[0]["applied"]')" "True"

echo "   downgrade and stamp"
expect 0 downgrade -1
has "undone $r2  add name"
same "$(psql_q -d "$db" -c "SELECT count(*) FROM information_schema.columns WHERE table_name = 'widget'")" 1
expect 0 downgrade base --json
same "$(json 'd["undone"]')" "['$r1']"
expect 0 stamp "$r2"
has "current $r2"
same "$(psql_q -d "$db" -c "SELECT count(*) FROM pg_tables WHERE tablename = 'widget'")" 0
expect 0 stamp base
expect 0 upgrade "$r1"
has "applied $r1"
lacks "$r2"
expect 0 upgrade
has "applied $r2"

echo "   branches, several heads"
expect 0 revision -m "left"
fl=$(ls migrations/*_left.sql)
rl=$(basename "$fl"); rl=${rl%%_*}
# A second revision on the same parent: write it by hand, as a teammate's branch would.
rr=b0000000000b
printf -- '-- ender:revision %s\n-- ender:parents %s\n-- ender:upgrade\nCREATE TABLE b (id int);\n-- ender:downgrade\nDROP TABLE b;\n' \
    "$rr" "$r2" >migrations/${rr}_right.sql
expect 3 upgrade
has "ender: error:" err
has "$rl" err
has "$rr" err
# The files are registered (in a transaction of their own, before the upgrade): nothing applied.
same "$(psql_q -d "$db" -c "SELECT count(*) FROM ender.revision")" 4
same "$(psql_q -d "$db" -c "SELECT count(*) FROM ender.applied")" 2
expect 0 upgrade heads
has "applied $rl"
has "applied $rr"
expect 0 branches
has "$r2"
expect 0 branches --json
same "$(json 'sorted(d[0]["children"])')" "$(printf '%s\n' "$rl" "$rr" | sort | "$py" -c 'import sys; print(sorted(sys.stdin.read().split()))')"
expect 0 heads
has "$rl"
has "$rr"
expect 0 merge
has "(merges 2 heads)"
fm=$(ls migrations/*_merge_heads.sql)
grep -q "^-- ender:parents " "$fm" || { echo "FAIL: merge without parents"; failures=$((failures + 1)); }
expect 0 upgrade
has "applied"
expect 0 heads --json
same "$(json 'len(d)')" 1
expect 2 merge
has "there is nothing to merge" err
has "has a single head, " err

echo "   drift, missing file, malformed file"
sed -i 's/ALTER TABLE widget ADD name text;/ALTER TABLE widget ADD name varchar;/' "$f2"
expect 3 upgrade
has "ender: error:" err
has "$r2" err
sed -i 's/ALTER TABLE widget ADD name varchar;/ALTER TABLE widget ADD name text;/' "$f2"
expect 0 upgrade
mv "$fl" "$work/left.sql"
expect 1 upgrade
has "applied revision \"$rl\" has no migration file" err
mv "$work/left.sql" "$fl"
expect 0 revision -m "broken"
fb=$(ls migrations/*_broken.sql)
sed -i '1a -- ender:colour blue' "$fb"
expect 1 upgrade
has 'unknown directive "-- ender:colour"' err
has "DETAIL:  In migration file \"$fb\". The problem is at line 2" err
rm "$fb"

echo "   DSN from --dsn, ENDER_DSN and DATABASE_URL win over the file"
sed -i '/^dsn/d' ender.toml
expect 0 current --dsn "dbname=$db"
ENDER_DSN="dbname=$db" expect 0 current
has "revision"
DATABASE_URL="postgresql:///$db" expect 0 current
ENDER_DSN="host=/nonexistent-socket-dir" expect 3 current
echo 'colour = "blue"' >ender.toml
expect 2 current --dsn "dbname=$db"
has 'unknown configuration key "colour"' err
has "line 1" err
rm ender.toml

echo "   check and diff"
psql_q -d "$db" -c "SELECT ender_snapshot()" >"$work/schema.json"
expect 0 check --snapshot "$work/schema.json" --dsn "dbname=$db"
has "matches"
expect 1 check --snapshot "$work/schema.json" --dsn "dbname=$db2"
has "CREATE TABLE"
has "widget"
expect 1 check --snapshot "$work/schema.json" --dsn "dbname=$db2" --json
same "$(json 'any("widget" in s["sql"] for s in d)')" "True"
expect 2 check --dsn "dbname=$db"
has '"check" needs the application'"'"'s models' err
has "HINT:  Run it from the application's migrate program (ender::cli::main), or pass --snapshot FILE." err
expect 1 diff --from "dbname=$db2" --to "dbname=$db"
has "CREATE TABLE"
expect 1 diff --from "dbname=$db" --to "dbname=$db2" --json
same "$(json 'any("deletes_data" in s["hazards"] for s in d)')" "True"
expect 0 diff --from "dbname=$db" --to "dbname=$db"
has "no differences"
expect 3 diff --from "dbname=$db" --to "host=/nonexistent-socket-dir"

finish verbs
