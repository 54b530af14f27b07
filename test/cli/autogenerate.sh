#!/usr/bin/env bash
# revision --autogenerate and check with the models, through the workflow example's migrate
# program built on two versions of its models (workflow_migrate, workflow_migrate_v2), and
# with --snapshot documents for what the models cannot say yet (renames, dropped columns).
source "$(dirname "$0")/lib.sh"
v1=$bin/workflow_migrate
v2=$bin/workflow_migrate_v2
db=ender_cli_autogen
scratch_db "$db"
cd "$work"
export ENDER_DSN="dbname=$db"
program=$v1 expect 0 init
# edited_snapshot OUT EDIT: the live snapshot of $db changed by the Python statements EDIT (on
# the document `d`, and `tables`, its tables by name), written to OUT as a target document.
edited_snapshot() {
    psql_q -d "$db" -c "SELECT ender_snapshot()" >"$work/live.json"
    "$py" - "$work/live.json" "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
del d["deparsed_by"]
tables = {t["name"]: t for t in d["tables"]}
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PY
}

echo "   the first models: autogenerate, upgrade, check"
program=$v1 expect 1 check
has 'CREATE TABLE "public"."hero"'
has "differs from the models" err
program=$v1 expect 0 revision --autogenerate -m "first models"
has "created migrations/"
f1=$(ls migrations/*_first_models.sql)
grep -q '^CREATE TABLE "public"."hero"' "$f1" || { echo "FAIL: no CREATE TABLE hero in $f1"; failures=$((failures + 1)); }
grep -q '^DROP TABLE "public"."hero";' "$f1" || { echo "FAIL: no DROP TABLE hero in the downgrade of $f1"; failures=$((failures + 1)); }
# The downgrade undoes in reverse order: the foreign key goes before the table it points to.
same "$(grep -n -e '^ALTER TABLE "public"."hero" DROP CONSTRAINT "hero_team_id_fkey";' -e '^DROP TABLE "public"."team";' "$f1" | cut -d: -f2 | cut -c1-5 | tr '\n' ' ')" "ALTER DROP  "
grep -q '^-- Hazards:' "$f1" || { echo "FAIL: no hazards list in $f1"; failures=$((failures + 1)); }
program=$v1 expect 0 upgrade
has "applied"
program=$v1 expect 0 check
has "check: the database matches the models"
program=$v1 expect 0 revision --autogenerate -m "nothing new"
same "$out" "no changes: the database matches the models"
same "$(ls migrations | wc -l)" 1

echo "   the second models: the file holds exactly the change"
program=$v2 expect 1 check
has 'ALTER TABLE "public"."hero" ADD COLUMN "phone" text'
program=$v2 expect 0 revision --autogenerate -m "add phone" --json
is_json
f2=$(json 'd["file"]')
same "$(json 'len(d["steps"])')" 1
same "$(json 'd["parents"]')" "['$(basename "$f1" | cut -d_ -f1)']"
same "$(sed -n '/^-- ender:upgrade$/,/^-- ender:downgrade$/p' "$f2" | grep -v '^--' | grep -v '^$')" \
    'ALTER TABLE "public"."hero" ADD COLUMN "phone" text;'
same "$(sed -n '/^-- ender:downgrade$/,$p' "$f2" | grep -v '^--' | grep -v '^$')" \
    'ALTER TABLE "public"."hero" DROP COLUMN "phone";'
program=$v2 expect 0 upgrade
has "applied $(basename "$f2" | cut -d_ -f1)  add phone"
program=$v2 expect 0 check
program=$v2 expect 0 downgrade -1
program=$v2 expect 1 check
has '"public"."hero"."phone"'
has 'ADD COLUMN "phone"'
program=$v2 expect 1 check --json
same "$(json '[s["object_name"] for s in d]')" "['\"public\".\"hero\".\"phone\"']"
# Not up to date: a revision on top of unapplied files would repeat them.
program=$v2 expect 1 revision --autogenerate -m "again"
has "the database is not up to date with the migrations directory" err
has "$(basename "$f2" | cut -d_ -f1)" err
same "$(ls migrations | wc -l)" 2
program=$v2 expect 0 upgrade

echo "   standalone: --snapshot, data loss, renames, enum labels"
expect 2 revision --autogenerate -m x
has 'ender: error: "revision --autogenerate" needs the application'"'"'s models' err
echo "not json" >bad.json
expect 2 revision --autogenerate --snapshot bad.json
has 'snapshot file "bad.json" is not JSON' err
expect 2 revision --autogenerate --allow everything
has 'invalid value "everything" for --allow' err
psql_q -d "$db" -c "CREATE TYPE mood AS ENUM ('calm'); ALTER TABLE hero ADD mood mood; CREATE TABLE note (id int, body text)"
# The target: hero.phone dropped, note renamed to memo, a label added to mood.
edited_snapshot target.json '
hero, note = tables["hero"], tables["note"]
hero["columns"] = [c for c in hero["columns"] if c["name"] != "phone"]
note["name"], note["renamed_from"] = "memo", "note"
for e in d["enums"]:
    e["labels"].append("glad")'
expect 0 revision --autogenerate -m "prune" --snapshot target.json
f3=$(ls migrations/*_prune.sql)
grep -q '^-- ALTER TABLE "public"."hero" DROP COLUMN "phone";' "$f3" || { echo "FAIL: the data-losing step is not commented out in $f3"; failures=$((failures + 1)); }
grep -qE '^--   step [0-9]+ \(column "public"."hero"."phone"\): .*deletes_data.*; left out$' "$f3" || { echo "FAIL: the hazard of the left-out step is not listed in $f3"; failures=$((failures + 1)); }
grep -q '^ALTER TABLE "public"."note" RENAME TO "memo";' "$f3" || { echo "FAIL: no rename in $f3"; failures=$((failures + 1)); }
grep -q '^ALTER TABLE "public"."memo" RENAME TO "note";' "$f3" || { echo "FAIL: no rename back in $f3"; failures=$((failures + 1)); }
grep -q "^ALTER TYPE \"public\".\"mood\" ADD VALUE 'glad';" "$f3" || { echo "FAIL: no ADD VALUE in $f3"; failures=$((failures + 1)); }
grep -q 'unsafe use of new value' "$f3" || { echo "FAIL: no note on ADD VALUE in $f3"; failures=$((failures + 1)); }
grep -q 'has no reverse statement: the downgrade leaves it in place' "$f3" || { echo "FAIL: no note on the missing reverse in $f3"; failures=$((failures + 1)); }
has "(left out, commented)"
expect 0 upgrade
same "$(psql_q -d "$db" -c "SELECT count(*) FROM information_schema.columns WHERE table_name = 'hero' AND column_name = 'phone'")" 1
same "$(psql_q -d "$db" -c "SELECT to_regclass('memo') IS NOT NULL")" t
expect 1 check --snapshot target.json
has 'DROP COLUMN "phone"'
expect 0 revision --autogenerate -m "drop phone" --snapshot target.json --allow data-loss
f4=$(ls migrations/*_drop_phone.sql)
grep -q '^ALTER TABLE "public"."hero" DROP COLUMN "phone";' "$f4" || { echo "FAIL: --allow data-loss did not keep the step in $f4"; failures=$((failures + 1)); }
expect 0 upgrade
expect 0 check --snapshot target.json
has "check: the database matches the snapshot"
expect 0 downgrade -2
same "$(psql_q -d "$db" -c "SELECT to_regclass('note') IS NOT NULL")" t

echo "   --online: a type change on a table above the threshold becomes an online revision"
expect 2 revision --autogenerate --snapshot target.json --online=sometimes
has 'invalid value "sometimes" for --online' err
expect 2 revision --autogenerate --snapshot target.json --online-threshold lots
has 'invalid value "lots" for --online-threshold' err
db=${db}_online
scratch_db "$db"
mkdir "$work/online" && cd "$work/online"
export ENDER_DSN="dbname=$db"
expect 0 init
psql_q -d "$db" -c "CREATE TABLE ledger (id int PRIMARY KEY, amount int NOT NULL DEFAULT 0);
    INSERT INTO ledger SELECT g, g * 10 FROM generate_series(1, 50) g; ANALYZE ledger"
edited_snapshot ledger2.json '
columns = tables["ledger"]["columns"]
next(c for c in columns if c["name"] == "amount")["type"] = "bigint"
columns.append(dict(columns[0], name="memo", type="text", not_null=False, default=None))'
# 50 rows: under the default threshold nothing runs online; at 40 the type change does.
expect 0 revision --autogenerate -m "wider" --snapshot ledger2.json --json
same "$(json 'len(d["revisions"])')" 1
same "$(json 'd["steps"][0]["online_operation"]')" \
    'alter_column "public"."ledger" "amount" TYPE bigint USING ("amount"::bigint) DOWN ("amount"::integer)'
for f in $(json '" ".join(r["file"] for r in d["revisions"])'); do rm "$f"; done
expect 0 revision --autogenerate -m "wider" --snapshot ledger2.json --online-threshold 40 --json
same "$(json '[r["online"] is not None for r in d["revisions"]]')" "[True, False]"
online_id=$(json 'd["revisions"][0]["revision"]')
same "$(json 'd["revisions"][1]["parents"]')" "['$online_id']"
f5=$(json 'd["revisions"][0]["file"]')
f6=$(json 'd["revisions"][1]["file"]')
grep -q '^-- ender:online alter_column "public"."ledger" "amount" TYPE bigint' "$f5" || { echo "FAIL: no online line in $f5"; failures=$((failures + 1)); }
grep -q '^--   backfill: ' "$f5" || { echo "FAIL: no phases in the header of $f5"; failures=$((failures + 1)); }
grep -q 'has about 50 rows (--online-threshold 40)' "$f5" || { echo "FAIL: no reason in $f5"; failures=$((failures + 1)); }
grep -q '^ALTER TABLE "public"."ledger" ALTER COLUMN "amount" TYPE integer' "$f5" || { echo "FAIL: no downgrade in $f5"; failures=$((failures + 1)); }
grep -q '^ALTER TABLE "public"."ledger" ADD COLUMN "memo" text;' "$f6" || { echo "FAIL: the other step is not in $f6"; failures=$((failures + 1)); }
for f in $(json '" ".join(r["file"] for r in d["revisions"])'); do rm "$f"; done
# always: whatever the size; the lifecycle through the command and the SQL functions.
expect 0 revision --autogenerate -m "wider" --snapshot ledger2.json --online=always --json
online_id=$(json 'd["revisions"][0]["revision"]')
expect 0 upgrade
same "$(psql_q -d "$db" -c "CALL ender_wait('$online_id', '5 minutes')")" ready
same "$(psql_q -d "$db" -c "SELECT ender_complete('$online_id')")" "$online_id"
expect 0 upgrade
same "$(psql_q -d "$db" -c "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'ledger'::regclass AND attname = 'amount'")" bigint
same "$(psql_q -d "$db" -c "SELECT sum(amount) FROM ledger")" 12750
expect 0 check --snapshot ledger2.json

echo "   --online: a new index and a dropped one become create_index and drop_index revisions"
psql_q -d "$db" -c "CREATE INDEX ledger_amount ON ledger (amount); ANALYZE ledger"
edited_snapshot ledger3.json '
ix = tables["ledger"]["indexes"]
old = next(i for i in ix if i["name"] == "ledger_amount")
ix.remove(old)
ix.append(dict(old, name="ledger_memo", predicate="(amount > 0)",
               definition="CREATE INDEX ledger_memo ON public.ledger USING btree (memo) WHERE (amount > 0)"))'
expect 0 revision --autogenerate -m "reindexed" --snapshot ledger3.json --online-threshold 40 --json
same "$(json '[r["online"] for r in d["revisions"]]')" \
    "['drop_index \"public\".\"ledger_amount\"', 'create_index \"ledger_memo\" ON \"public\".\"ledger\" USING btree (memo) WHERE (amount > 0)']"
drop_id=$(json 'd["revisions"][0]["revision"]')
create_id=$(json 'd["revisions"][1]["revision"]')
grep -q 'has about 50 rows (--online-threshold 40)' "$(json 'd["revisions"][0]["file"]')" || { echo "FAIL: no reason for the drop"; failures=$((failures + 1)); }
grep -q '^--   validate: CREATE INDEX CONCURRENTLY' "$(json 'd["revisions"][1]["file"]')" || { echo "FAIL: no phases in the create_index file"; failures=$((failures + 1)); }
expect 0 upgrade
same "$(psql_q -d "$db" -c "CALL ender_wait('$drop_id', '5 minutes')")" ready
same "$(psql_q -d "$db" -c "SELECT ender_complete('$drop_id')")" "$drop_id"
expect 0 upgrade
same "$(psql_q -d "$db" -c "CALL ender_wait('$create_id', '5 minutes')")" ready
same "$(psql_q -d "$db" -c "SELECT ender_complete('$create_id')")" "$create_id"
same "$(psql_q -d "$db" -c "SELECT string_agg(indexrelid::regclass::text || ':' || indisvalid, ' ' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid = 'ledger'::regclass")" \
    "ledger_memo:true ledger_pkey:true"
expect 0 check --snapshot ledger3.json

echo "   conversions: a declared USING and DOWN become the online alter_column; no cast is refused"
psql_q -d "$db" -c "CREATE TABLE tally (id int PRIMARY KEY, code text, made date);
    INSERT INTO tally SELECT g, CASE WHEN g % 10 = 0 THEN '' ELSE ' ' || g || ' ' END, '2020-01-01'
      FROM generate_series(1, 50) g; ANALYZE tally"
edited_snapshot tally.json '
code = next(c for c in tables["tally"]["columns"] if c["name"] == "code")
code["type"] = "integer"
code["conversions"] = [{"from": "text", "using": "nullif(trim(code), \x27\x27)::integer",
                        "down": "coalesce(code::text, \x27\x27)"}]'
expect 0 revision --autogenerate -m "numeric code" --snapshot tally.json --online-threshold 40 --json
same "$(json 'len(d["revisions"])')" 1
same "$(json 'd["revisions"][0]["online"]')" \
    "alter_column \"public\".\"tally\" \"code\" TYPE integer USING (nullif(trim(code), '')::integer) DOWN (coalesce(code::text, ''))"
online_id=$(json 'd["revisions"][0]["revision"]')
expect 0 upgrade
same "$(psql_q -d "$db" -c "CALL ender_wait('$online_id', '5 minutes')")" ready
same "$(psql_q -d "$db" -c "SELECT ender_complete('$online_id')")" "$online_id"
same "$(psql_q -d "$db" -c "SELECT count(code) || ' ' || sum(code) FROM tally")" "45 1125"
expect 0 check --snapshot tally.json
# tally.made: date to integer has no cast; without a conversion the diff refuses it (exit 3).
edited_snapshot year.json '
next(c for c in tables["tally"]["columns"] if c["name"] == "made")["type"] = "integer"'
expect 3 revision --autogenerate -m "year" --snapshot year.json
has 'cannot convert column "public"."tally"."made" from type date to integer' err
has 'converts_from("date", "<expression>")' err
same "$(ls migrations | grep -c year)" 0

finish autogenerate
