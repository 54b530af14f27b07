#!/usr/bin/env bash
# The revision graph: history --graph draws two branches and their merge in the terminal, with
# applied, current and pending revisions marked; graph writes Graphviz and SVG pictures of it.
source "$(dirname "$0")/lib.sh"
db=ender_cli_graph
scratch_db "$db"
cd "$work"
dsn="dbname=$db"
mkdir migrations
revision() {  # revision ID PARENTS MESSAGE [BRANCH]
    {
        echo "-- ender:revision $1"
        [ -n "$2" ] && echo "-- ender:parents $2"
        [ -n "${4:-}" ] && echo "-- ender:branch $4"
        echo "-- ender:message $3"
        echo "-- ender:upgrade"
        echo "SELECT 1;"
        echo "-- ender:downgrade"
        echo "SELECT 1;"
    } >"migrations/$1.sql"
}
revision r0 "" "create team"
revision r1a r0 "add hero"
revision r1b r0 "billing" billing
revision r2a r1a "hero email"
revision r3 "r2a r1b" "merge"
revision r4 r3 "add phone"

echo "   history --graph"
expect 0 upgrade r2a --dsn "$dsn"
expect 0 upgrade r1b --dsn "$dsn"
expect 0 history --graph --dsn "$dsn"
want='*  r4 (head, pending)  add phone
*  r3 (pending)  merge
|\
* |  r2a (current, applied)  hero email
| *  r1b (current, applied, branch billing)  billing
* |  r1a (applied)  add hero
|/
*  r0 (applied)  create team'
if [ "$out" != "$want" ]; then
    echo "FAIL: history --graph drew"
    echo "$out"
    echo "  expected"
    echo "$want"
    failures=$((failures + 1))
fi
expect 0 history --graph --json --dsn "$dsn"
[ "$($py -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(r["revision"] + ("+" if r["applied"] else "-") for r in d))' <<<"$out")" = "r4- r3- r2a+ r1b+ r1a+ r0+" ] ||
    { echo "FAIL: history --graph --json: $out"; failures=$((failures + 1)); }
expect 2 history --graph -r r0:r4 --dsn "$dsn"
has "-r does not apply" err

echo "   graph --format dot|svg"
expect 0 upgrade --dsn "$dsn"
expect 0 graph --dsn "$dsn"
has 'digraph revisions {'
has '"r2a" -> "r3";'
has '"r1b" -> "r3";'
has '"r4" [label="r4\nadd phone\nhead, current, applied", style="rounded,filled,bold"'
expect 0 graph --format svg --output picture.svg --dsn "$dsn"
has "wrote picture.svg (6 revisions)" err
head -c 200 picture.svg | grep '<svg\|<?xml' >/dev/null || { echo "FAIL: picture.svg is not SVG"; failures=$((failures + 1)); }
for r in r0 r1a r1b r2a r3 r4; do
    grep -q ">$r<" picture.svg || { echo "FAIL: picture.svg does not mention $r"; failures=$((failures + 1)); }
done
expect 2 graph --format png --dsn "$dsn"
has 'invalid format "png" for graph' err
expect 3 graph --dsn "dbname=ender_no_such_database"

finish graph
