#!/usr/bin/env bash
# A custom online revision (hand-written expand, backfill, contract, rollback sections) through
# its whole life: the worker expands and runs the backfill statement batch by batch until it
# reports 0 rows, ender_rollback runs the rollback section and leaves nothing behind, started
# again it completes with the contract and the upgrade section, and downgrades like any
# revision. Runs inside pg_virtualenv (scripts/test-in-cluster.sh, through test/online/run.sh).
set -euo pipefail

db=ender_online_custom
source "$(dirname "$0")/lib.sh"
trap 'dropdb --force --if-exists "$db"' EXIT

dropdb --force --if-exists "$db"
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
CREATE VIEW ender_c1.item AS SELECT id, cents FROM public.item;
-- ender:backfill
UPDATE item SET cents = price * 100
 WHERE id IN (SELECT id FROM item WHERE cents IS NULL AND price IS NOT NULL ORDER BY id LIMIT 700);
-- ender:backfill_count
SELECT count(*) FROM item WHERE cents IS NULL AND price IS NOT NULL;
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
same "$(q -c "CALL ender_wait('c1', '5 minutes')")" ready "ender_wait"
# 5000 rows in batches of 700: 8 batches with rows, then the call that reports 0 ends it.
same "$(q -c "SELECT rows_done, batches, rows_total, percent FROM ender_status()")" "5000|8|5000|100.0" "progress"
# The new shape, through the view schema ender creates for the revision (expand put a view in it).
same "$(q -c "SET search_path = ender_c1, public; SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'item'::regclass AND attnum > 0")" "id,cents" "the new shape's view"
same "$(q -c "SELECT has_schema_privilege('public', 'ender_c1', 'USAGE')")" t "the view schema is open to all"
same "$(q -c "SELECT count(*) FROM item WHERE cents IS DISTINCT FROM price * 100")" 0 "backfilled rows"
q -c "INSERT INTO item VALUES (5001, 7)"  # written by the old application: expand's trigger fills it
same "$(q -c "SELECT cents FROM item WHERE id = 5001")" 700 "a row written during the window"
same "$(q -c "SELECT ender_rollback('c1')")" c1 "ender_rollback"
same "$(q -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'ender_c1'")" 0 "the view schema after rollback"
q -c "DELETE FROM item WHERE id = 5001"
same "$(q -c "SELECT ender_snapshot()::text")" "$before" "the schema after rollback"
same "$(q -c "SELECT count(*) FROM ender.online_job")|$(q -c "SELECT count(*) FROM ender_current()")" "0|0" "no job, nothing applied"

echo "   start again, complete, downgrade"
q -c "SELECT ender_upgrade();" >/dev/null
same "$(q -c "CALL ender_wait('c1', '5 minutes')")" ready "ender_wait again"
same "$(q -c "SELECT ender_complete('c1')")" c1 "ender_complete"
same "$(q -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'ender_c1'")" 0 "the view schema after complete"
same "$(q -c "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'item'::regclass AND attnum > 0 AND NOT attisdropped")" "id,cents" "columns after contract"
same "$(q -c "SELECT sum(cents) FROM item")" "$((5000 * 5001 / 2 * 100))" "values"
same "$(q -c "SELECT to_regclass('item_cents') IS NOT NULL")" t "the upgrade section ran at complete"
same "$(q -c "SELECT string_agg(operation, ',' ORDER BY id) FROM ender.log WHERE revision_id = 'c1'")" "expand,rollback,expand,complete" "the history"
q -c "SELECT ender_downgrade('base')" >/dev/null
same "$(q -c "SELECT sum(price) FROM item")" "$((5000 * 5001 / 2))" "downgraded values"

echo "   the worker killed mid-backfill: restarted, no batch counted twice or lost"
q >/dev/null <<'SQL'
CREATE TABLE big (id int PRIMARY KEY, v int, w int);
INSERT INTO big SELECT g, g FROM generate_series(1, 20000) g;
SELECT ender_register($file$-- ender:revision c2
-- ender:backfill
UPDATE big SET w = v * 2 WHERE id IN (SELECT id FROM big WHERE w IS NULL ORDER BY id LIMIT 500);
-- ender:backfill_count
SELECT count(*) FROM big WHERE w IS NULL;
-- ender:contract
ALTER TABLE big DROP v;
-- ender:upgrade
$file$);
SQL
# Another session holds row 3250: the batch after the sixth (rows 3001 to 3500) waits for it,
# retrying under ender.lock_timeout, and the worker is killed in the middle of that batch.
hold gate "SELECT id FROM big WHERE id = 3250 FOR UPDATE"
q -c "SET ender.backfill_pause = '1ms'; SELECT ender_upgrade('c2');" >/dev/null
wait_for "SELECT rows_done FROM ender.online_job" 3000 "the batches before the held row"
wait_attempts "SELECT pid FROM pg_stat_activity WHERE backend_type = 'ender online worker' LIMIT 1" 1
IFS='|' read -r pid at total <<<"$(q -c "SELECT worker_pid, rows_done, rows_total FROM ender.online_job")"
[ -n "$pid" ] || fail "no worker running the backfill (rows done: $at)"
same "$total" 20000 "rows_total from the backfill_count query"
same "$at" 3000 "rows done when the worker was killed"
same "$(q -c "SELECT pg_terminate_backend($pid)")" t "terminating the worker"
release gate
same "$(q -c "CALL ender_wait('c2', '5 minutes')")" ready "ender_wait after the kill"
[ "$(q -c "SELECT worker_pid FROM ender.online_job")" != "$pid" ] || fail "the same worker finished the job"
same "$(q -c "SELECT rows_done, batches, rows_total FROM ender_status()")" "20000|40|20000" "progress after the kill"
same "$(q -c "SELECT count(*) FROM big WHERE w IS DISTINCT FROM v * 2")" 0 "rows in step after the kill"
same "$(q -c "SELECT ender_complete('c2')")" c2 "complete after the kill"
echo "   killed at $at of 20000 rows, resumed: ok"
echo "   test/online/custom.sh: passed"
