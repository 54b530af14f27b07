#!/usr/bin/env bash
# A custom online revision (hand-written expand, backfill, contract, rollback sections) through
# its whole life: the worker expands and runs the backfill statement batch by batch until it
# reports 0 rows, ender_rollback runs the rollback section and leaves nothing behind, started
# again it completes with the contract and the upgrade section, and downgrades like any
# revision. Runs inside pg_virtualenv (scripts/test-in-cluster.sh, through test/online/run.sh).
set -euo pipefail

db=ender_online_custom
trap 'dropdb --if-exists "$db"' EXIT
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
same() { [ "$1" == "$2" ] || fail "expected \"$2\", got \"$1\" ($3)"; }

dropdb --if-exists "$db"
createdb "$db"
q -c "CREATE EXTENSION ender; CREATE TABLE item (id int PRIMARY KEY, price int);
      INSERT INTO item SELECT g, g FROM generate_series(1, 5000) g;"
q >/dev/null <<'SQL'
SELECT ender_register($file$-- ender:revision c1
-- ender:expand
ALTER TABLE item ADD cents bigint;
CREATE FUNCTION item_cents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.cents := NEW.price * 100; RETURN NEW; END $$;
CREATE TRIGGER item_cents BEFORE INSERT OR UPDATE OF price ON item FOR EACH ROW EXECUTE FUNCTION item_cents();
-- ender:backfill
UPDATE item SET cents = price * 100
 WHERE id IN (SELECT id FROM item WHERE cents IS NULL AND price IS NOT NULL ORDER BY id LIMIT 700);
-- ender:contract
DROP TRIGGER item_cents ON item;
DROP FUNCTION item_cents();
ALTER TABLE item DROP price;
-- ender:rollback
DROP TRIGGER IF EXISTS item_cents ON item;
DROP FUNCTION IF EXISTS item_cents();
ALTER TABLE item DROP COLUMN IF EXISTS cents;
-- ender:upgrade
CREATE INDEX item_cents ON item (cents);
-- ender:downgrade
DROP INDEX item_cents;
ALTER TABLE item ADD price int;
UPDATE item SET price = cents / 100;
ALTER TABLE item DROP cents;
$file$);
SQL
before=$(q -c "SELECT ender_snapshot()::text")

echo "   start, backfill in batches of 700, rollback"
q -c "SET ender.backfill_pause = '1ms'; SELECT ender_upgrade();" >/dev/null
same "$(q -c "SELECT ender_wait('c1', '60s')")" ready "ender_wait"
# 5000 rows in batches of 700: 8 batches with rows, then the call that reports 0 ends it.
same "$(q -c "SELECT rows_done, batches FROM ender_status()")" "5000|8" "progress"
same "$(q -c "SELECT count(*) FROM item WHERE cents IS DISTINCT FROM price * 100")" 0 "backfilled rows"
q -c "INSERT INTO item VALUES (5001, 7)"  # written by the old application: expand's trigger fills it
same "$(q -c "SELECT cents FROM item WHERE id = 5001")" 700 "a row written during the window"
same "$(q -c "SELECT ender_rollback('c1')")" c1 "ender_rollback"
q -c "DELETE FROM item WHERE id = 5001"
same "$(q -c "SELECT ender_snapshot()::text")" "$before" "the schema after rollback"
same "$(q -c "SELECT count(*) FROM ender.online_job")|$(q -c "SELECT count(*) FROM ender_current()")" "0|0" "no job, nothing applied"

echo "   start again, complete, downgrade"
q -c "SELECT ender_upgrade();" >/dev/null
same "$(q -c "SELECT ender_wait('c1', '60s')")" ready "ender_wait again"
same "$(q -c "SELECT ender_complete('c1')")" c1 "ender_complete"
same "$(q -c "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'item'::regclass AND attnum > 0 AND NOT attisdropped")" "id,cents" "columns after contract"
same "$(q -c "SELECT sum(cents) FROM item")" "$((5000 * 5001 / 2 * 100))" "values"
same "$(q -c "SELECT to_regclass('item_cents') IS NOT NULL")" t "the upgrade section ran at complete"
same "$(q -c "SELECT string_agg(operation, ',' ORDER BY id) FROM ender.log WHERE revision_id = 'c1'")" "expand,rollback,expand,complete" "the history"
q -c "SELECT ender_downgrade('base')" >/dev/null
same "$(q -c "SELECT sum(price) FROM item")" "$((5000 * 5001 / 2))" "downgraded values"
echo "   test/online/custom.sh: passed"
