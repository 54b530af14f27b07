#!/usr/bin/env bash
# Issue 16, item 10: an online job can always be ended. The table of a running alter_column is
# renamed by hand: ender_rollback still ends the job (the schema of views, the trigger and its
# function dropped), so ender_upgrade, ender_downgrade and ender_stamp work again.
. "$(dirname "$0")/lib.sh"

as deployer >/dev/null <<'SQL'
CREATE TABLE item (id int PRIMARY KEY, qty int NOT NULL);
INSERT INTO item SELECT g, g FROM generate_series(1, 1000) g;
SELECT ender_register($f$-- ender:revision od1
-- ender:online alter_column item qty type bigint using (qty::bigint) down (qty::integer)
-- ender:upgrade
$f$);
SELECT ender_upgrade();
SQL
wait_for "SELECT phase FROM ender.online_job" ready
as deployer -c "ALTER TABLE item RENAME TO item_renamed" >/dev/null

echo "   rollback after the table was renamed by hand"
same "$(as deployer -c "SELECT ender_rollback('od1')" 2>/dev/null)" od1 "ender_rollback"
same "$(q -c "SELECT count(*) FROM ender.online_job")|$(q -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'ender_od1'")" "0|0" "the job and its schema are gone"
same "$(q -c "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'item_renamed'::regclass AND NOT tgisinternal")" 0 "no trigger left"
as deployer -c "INSERT INTO item_renamed (id, qty) VALUES (1001, 1)" >/dev/null
same "$(as deployer -c "SELECT count(*) FROM ender_stamp('base')")" 0 "ender_stamp works again"
echo "   test/security/outside_ddl.sh: passed"
