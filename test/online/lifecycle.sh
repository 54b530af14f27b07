#!/usr/bin/env bash
# An online type change under concurrent writes from both shapes: old-shape and new-shape
# clients (pgbench) update the same rows while the worker backfills; no client fails, the two
# columns stay in step, and after ender_complete the schema equals the target snapshot (the
# same change made with a plain ALTER TABLE ... TYPE). Runs inside pg_virtualenv
# (scripts/test-in-cluster.sh, through test/online/run.sh).
set -euo pipefail

db=ender_online_life
target=ender_online_target
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists "$db"; dropdb --if-exists "$target"' EXIT
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

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
# Wait for expand: the new shape exists once the job is in backfill.
for _ in $(seq 1 200); do
    [ "$(q -c "SELECT phase FROM ender.online_job")" != expand ] && break
    sleep 0.05
done
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

[ "$(q -c "SELECT ender_wait('life1', '2 minutes')")" = ready ] || fail "job not ready"
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
