#!/usr/bin/env bash
# Online revisions end to end. First a type change under concurrent writes from both shapes:
# old-shape and new-shape clients (pgbench) update the same rows while the worker backfills;
# no client fails, the two columns stay in step, and after ender_complete the schema equals
# the target snapshot (the same change made with a plain ALTER TABLE ... TYPE). Then every
# other operation kind through start, both shapes, rollback, start again and complete. Runs inside pg_virtualenv
# (scripts/test-in-cluster.sh, through test/online/run.sh).
set -euo pipefail

db=ender_online_life
target=ender_online_target
work=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap 'rm -rf "$work"; dropdb --if-exists "$db"; dropdb --if-exists "$target"' EXIT

dropdb --if-exists "$db"; dropdb --if-exists "$target"
createdb "$db"; createdb "$target"
schema='CREATE TABLE account (id bigint PRIMARY KEY, balance integer NOT NULL DEFAULT 0, note text);'
q -c "CREATE EXTENSION ender; $schema
      INSERT INTO account SELECT g, g % 1000, 'note ' || g FROM generate_series(1, 100000) g;"
q >/dev/null <<'SQL'
SELECT ender_register($file$-- ender:revision life1
-- ender:online alter_column account balance type bigint using (balance::bigint * 100) down ((balance / 100)::integer)
-- ender:upgrade
CREATE INDEX account_balance ON account (balance);
$file$);
SQL

cat >"$work/old.sql" <<'EOF2'
\set id random(1, 100000)
UPDATE account SET balance = balance + 1 WHERE id = :id;
EOF2
cat >"$work/new.sql" <<'EOF2'
\set id random(1, 100000)
UPDATE account SET balance = balance + 100 WHERE id = :id;
EOF2

q -c "SET ender.backfill_batch_size = 2000; SET ender.backfill_pause = '20ms'; SELECT ender_upgrade();" >/dev/null
# Wait for expand: the new shape exists once the job is past it.
wait_for "SELECT phase <> 'expand' FROM ender.online_job" t "the end of expand"
pgbench -n -f "$work/old.sql" -c 2 -T 3 "$db" >"$work/old.log" 2>&1 &
old=$!
PGOPTIONS='-c search_path=ender_life1,public' pgbench -n -f "$work/new.sql" -c 2 -T 3 "$db" >"$work/new.log" 2>&1 &
new=$!
wait "$old" || { cat "$work/old.log"; fail "old-shape clients failed"; }
wait "$new" || { cat "$work/new.log"; fail "new-shape clients failed"; }
for log in old new; do
    grep -q "number of failed transactions: 0 (" "$work/$log.log" || { cat "$work/$log.log"; fail "$log-shape transactions failed"; }
    echo "   $log shape: $(grep -E '^number of transactions actually processed' "$work/$log.log")"
done

[ "$(q -c "CALL ender_wait('life1', '5 minutes')")" = ready ] || fail "job not ready"
out_of_step=$(q -c "SELECT count(*) FROM account WHERE _ender_new_balance IS DISTINCT FROM balance::bigint * 100")
[ "$out_of_step" = 0 ] || fail "$out_of_step rows out of step"
old_sum=$(q -c "SELECT sum(balance) FROM account")
new_sum=$(q -c "SELECT sum(balance) FROM ender_life1.account")
[ "$new_sum" = "$((old_sum * 100))" ] || fail "new shape sums to $new_sum, old to $old_sum"
rows=$(q -c "SELECT rows_done FROM ender.online_job")
[ "$rows" = 100000 ] || fail "rows_done is $rows, expected 100000"

q -c "SELECT ender_complete('life1')" >/dev/null
[ "$(q -c "SELECT sum(balance) FROM account")" = "$new_sum" ] || fail "sum changed by contract"

# The same change made the plain way gives the target; the online result must equal it.
psql -X -q -v ON_ERROR_STOP=1 -d "$target" -c "CREATE EXTENSION ender; $schema
    ALTER TABLE account ALTER COLUMN balance TYPE bigint USING balance::bigint * 100;
    CREATE INDEX account_balance ON account (balance);"
psql -X -A -t -v ON_ERROR_STOP=1 -d "$target" -c "SELECT ender_snapshot()" >"$work/target.json"
equal=$(echo "SELECT ender_check(:'snap'::jsonb)" | q -v snap="$(cat "$work/target.json")")
if [ "$equal" != t ]; then
    echo "SELECT sql FROM ender_diff(:'snap'::jsonb)" | q -v snap="$(cat "$work/target.json")" >&2
    fail "the schema after complete differs from the target snapshot"
fi
echo "   lifecycle under load: ok (100000 rows in step, schema equals the target)"

# Every other operation kind, through the same lifecycle (issue 7): start -> checks through the
# old and the new shape, each a query that must print t -> rollback -> nothing of ender's left
# (the catalog's view of the database, as `fingerprint` lists it, equals the one taken before
# start; no job) -> start again -> complete -> the schema equals a snapshot of the same change
# made plainly.
kinds=ender_online_kinds
trap 'rm -rf "$work"; dropdb --if-exists "$db"; dropdb --if-exists "$target"; dropdb --if-exists "$kinds"' EXIT
k() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$kinds" "$@"; }
dropdb --if-exists "$target"; createdb "$kinds"; createdb "$target"
psql -X -q -c "DO \$\$ BEGIN CREATE ROLE ender_reader; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$"
# Every schema, relation, column, constraint, index, trigger, function and grant outside the
# system's and ender's own schemas, and the number of online jobs.
fingerprint="SELECT line FROM (
    SELECT 'schema ' || nspname AS line FROM pg_namespace
     WHERE nspname NOT LIKE 'pg\\_%' AND nspname NOT IN ('information_schema', 'ender')
    UNION ALL SELECT 'relation ' || c.oid::regclass || ' ' || c.relkind::text || ' ' || coalesce(c.relacl::text, '')
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname NOT IN ('information_schema', 'ender')
    UNION ALL SELECT 'column ' || a.attrelid::regclass || '.' || a.attname || ' ' ||
                     format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull || ' ' ||
                     coalesce(pg_get_expr(d.adbin, d.adrelid), '')
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attnum > 0 AND NOT a.attisdropped AND n.nspname = 'public'
    UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT 'trigger ' || tgrelid::regclass || ' ' || tgname FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL SELECT 'function ' || p.oid::regprocedure FROM pg_proc p
      JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname NOT IN ('information_schema', 'ender')
       AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    UNION ALL SELECT 'jobs ' || count(*) FROM ender.online_job) AS f ORDER BY line;"

# Waits until the job of the revision is ready: CALL ender_wait commits between polls, so it
# waits through an index built CONCURRENTLY like through any other phase.
wait_ready() {
    local phase
    phase=$(k -c "CALL ender_wait('$1', '5 minutes')" 2>&1) || fail "$1 failed: $phase"
    [ "$phase" = ready ] || fail "$1: not ready after five minutes (phase $phase)"
}

# A fresh schema and ender state in database $1 (no new database), then the SQL $2.
reset_db() {
    psql -X -q -v ON_ERROR_STOP=1 -d "$1" >/dev/null 2>&1 <<SQL
DROP EXTENSION IF EXISTS ender; DROP SCHEMA public CASCADE;
CREATE SCHEMA public; GRANT USAGE ON SCHEMA public TO PUBLIC; CREATE EXTENSION ender;
$2
SQL
}

# lifecycle_of REVISION "ONLINE LINE" "PLAIN SQL" "CHECKS": the setup is in $setup.
lifecycle_of() {
    local rev=$1 line=$2 plain=$3 checks=$4 started out
    started=$(now_ms)
    reset_db "$target" "$setup $plain" &
    local made_target=$!
    reset_db "$kinds" "$setup
SELECT ender_register(\$ender_file\$-- ender:revision $rev
-- ender:online $line
-- ender:upgrade
\$ender_file\$);" || fail "$rev: setup failed"
    k -c "$fingerprint" >"$work/before.txt"
    k -c "SET ender.backfill_batch_size = 300; SET ender.backfill_pause = 0; SELECT ender_upgrade()" >/dev/null
    wait_ready "$rev"
    out=$(k <<<"$checks" 2>&1) || { echo "$out" >&2; fail "$rev: a check through the two shapes failed"; }
    [ -z "$(grep -v '^t$' <<<"$out")" ] || { echo "$out" >&2; fail "$rev: a check through the two shapes is not true"; }
    # Rollback; the rows the checks added go, and the catalog is as it was.
    k -c "SELECT ender_rollback('$rev')" -c "DELETE FROM t WHERE id > 100000" -c "$fingerprint" >"$work/after.txt"
    grep -v -x -e "$rev" -e 'DELETE [0-9]*' "$work/after.txt" | diff "$work/before.txt" - >&2 ||
        fail "$rev: rollback left something behind"
    k -c "SET ender.backfill_batch_size = 300; SET ender.backfill_pause = 0; SELECT ender_upgrade()" >/dev/null
    wait_ready "$rev"
    k -c "SELECT ender_complete('$rev')" >/dev/null
    wait "$made_target" || fail "$rev: the target database could not be made"
    psql -X -A -t -v ON_ERROR_STOP=1 -d "$target" -c "SELECT ender_snapshot()" >"$work/target.json"
    if [ "$(echo "SELECT ender_check(:'snap'::jsonb)" | k -v snap="$(cat "$work/target.json")")" != t ]; then
        echo "SELECT sql FROM ender_diff(:'snap'::jsonb)" | k -v snap="$(cat "$work/target.json")" >&2
        fail "$rev: the schema after complete differs from the target snapshot"
    fi
    echo "   $rev: $line: ok ($(( $(now_ms) - started )) ms)"
}

setup="CREATE TABLE parent (id int PRIMARY KEY);
INSERT INTO parent SELECT g FROM generate_series(1, 50) g;
CREATE TABLE t (id int PRIMARY KEY, name text, qty int, parent_id int, code text);
INSERT INTO t SELECT g, 'n' || g, g % 7, g % 50 + 1, 'c' || g FROM generate_series(1, 2000) g;
GRANT SELECT ON t TO ender_reader;"

lifecycle_of rn1 "rename_column t name TO title" "ALTER TABLE t RENAME COLUMN name TO title;" "
INSERT INTO t (id, name) VALUES (100001, 'old app');
INSERT INTO ender_rn1.t (id, title) VALUES (100002, 'new app');
UPDATE ender_rn1.t SET title = 'renamed' WHERE id = 1;
SELECT name = 'renamed' FROM t WHERE id = 1;
SELECT title = 'old app' FROM ender_rn1.t WHERE id = 100001;
SELECT name = 'new app' FROM t WHERE id = 100002;
SET ROLE ender_reader;
SELECT count(*) = 2002 FROM ender_rn1.t;
SELECT count(*) = 2002 FROM t;
RESET ROLE;
SELECT has_table_privilege('ender_reader', 'ender_rn1.t', 'SELECT') AND NOT has_table_privilege('ender_reader', 'ender_rn1.t', 'INSERT');"

lifecycle_of ac1 "add_column t score bigint NOT NULL DEFAULT (7) BACKFILL (qty * 10)" \
    "ALTER TABLE t ADD COLUMN score bigint NOT NULL DEFAULT 7;" "
INSERT INTO t (id, qty) VALUES (100001, 4);
INSERT INTO ender_ac1.t (id, qty) VALUES (100002, 4);
INSERT INTO ender_ac1.t (id, qty, score) VALUES (100003, 4, 99);
SELECT count(*) = 0 FROM t WHERE score IS DISTINCT FROM qty * 10 AND id <= 2000;
SELECT score = 40 FROM ender_ac1.t WHERE id = 100001;
SELECT score = 7 FROM t WHERE id = 100002;
SELECT score = 99 FROM t WHERE id = 100003;
UPDATE t SET qty = 5 WHERE id = 100001;
SELECT score = 40 FROM ender_ac1.t WHERE id = 100001;"

lifecycle_of nn1 "set_not_null t code" "ALTER TABLE t ALTER COLUMN code SET NOT NULL;" "
INSERT INTO t (id, code) VALUES (100001, 'old app');
INSERT INTO ender_nn1.t (id, code) VALUES (100002, 'new app');
SELECT count(*) = 2 FROM ender_nn1.t WHERE id > 100000;
DO \$\$ BEGIN INSERT INTO t (id) VALUES (100003); RAISE 'a NULL code was accepted'; EXCEPTION WHEN check_violation THEN NULL; END \$\$;
SELECT true;"

lifecycle_of uq1 "add_unique t t_code_key (code)" "ALTER TABLE t ADD CONSTRAINT t_code_key UNIQUE (code);" "
SELECT indisvalid FROM pg_index WHERE indexrelid = 't_code_key'::regclass;
INSERT INTO ender_uq1.t (id, code) VALUES (100001, 'fresh');
DO \$\$ BEGIN INSERT INTO t (id, code) VALUES (100002, 'fresh'); RAISE 'a duplicate code was accepted'; EXCEPTION WHEN unique_violation THEN NULL; END \$\$;
SELECT code = 'fresh' FROM t WHERE id = 100001;"

setup="CREATE TABLE t (id int NOT NULL, other int, qty int);
INSERT INTO t SELECT g, g, g % 7 FROM generate_series(1, 2000) g;"
lifecycle_of pk1 "add_primary_key t t_pkey (id, other)" "ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY (id, other);" "
SELECT indisvalid FROM pg_index WHERE indexrelid = 't_pkey'::regclass;
DO \$\$ BEGIN INSERT INTO ender_pk1.t (id) VALUES (100001); RAISE 'a NULL key was accepted'; EXCEPTION WHEN check_violation THEN NULL; END \$\$;
INSERT INTO t VALUES (100002, 1, 1);
SELECT count(*) = 1 FROM ender_pk1.t WHERE id = 100002;"

setup="CREATE TABLE parent (id int PRIMARY KEY);
INSERT INTO parent SELECT g FROM generate_series(1, 50) g;
CREATE TABLE t (id int PRIMARY KEY, qty int, parent_id int);
INSERT INTO t SELECT g, g % 7, g % 50 + 1 FROM generate_series(1, 2000) g;"
lifecycle_of ck1 "add_constraint t t_qty_check CHECK (qty >= 0)" "ALTER TABLE t ADD CONSTRAINT t_qty_check CHECK (qty >= 0);" "
SELECT convalidated FROM pg_constraint WHERE conname = 't_qty_check';
INSERT INTO ender_ck1.t (id, qty) VALUES (100001, 3);
DO \$\$ BEGIN INSERT INTO t (id, qty) VALUES (100002, -1); RAISE 'a negative qty was accepted'; EXCEPTION WHEN check_violation THEN NULL; END \$\$;
SELECT true;"

lifecycle_of fk1 "add_constraint t t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE" \
    "ALTER TABLE t ADD CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE;" "
SELECT convalidated FROM pg_constraint WHERE conname = 't_parent_fk';
INSERT INTO ender_fk1.t (id, parent_id) VALUES (100001, 3);
DO \$\$ BEGIN INSERT INTO t (id, parent_id) VALUES (100002, 999); RAISE 'a dangling parent was accepted'; EXCEPTION WHEN foreign_key_violation THEN NULL; END \$\$;
SELECT true;"
