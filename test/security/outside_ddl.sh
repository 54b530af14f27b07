#!/usr/bin/env bash
# Issue 16, item 10: an online job can always be ended. ender_complete notices a change already
# made by hand (the column already NOT NULL, the constraint already attached, the old column
# already dropped) and completes; ender_rollback after outside DDL (the table renamed, a column
# dropped, the trigger dropped by hand) cleans up what exists and ends the job, so that
# ender_upgrade, ender_downgrade and ender_stamp work again.
. "$(dirname "$0")/lib.sh"

# start ID TABLE OPERATION: registers revision ID (a root of its own, so that the revisions
# rolled back before it stay out of its upgrade) for an online OPERATION on TABLE (id, qty,
# note: 1000 rows), starts it and waits until it is ready to complete.
start() {
    as deployer >/dev/null <<SQL
CREATE TABLE $2 (id int PRIMARY KEY, qty int NOT NULL, note text);
INSERT INTO $2 SELECT g, g, 'n' || g FROM generate_series(1, 1000) g;
SELECT ender_register(\$f\$-- ender:revision $1
-- ender:online $3
-- ender:upgrade
\$f\$);
SELECT ender_upgrade('$1');
SQL
    wait_for "SELECT phase FROM ender.online_job WHERE revision_id = '$1'" ready
}
# ended ID TABLE: the job is gone and left nothing behind: no schema, no trigger.
ended() {
    same "$(q -c "SELECT count(*) FROM ender.online_job")|$(q -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'ender_$1'")" "0|0" "$1: the job and its schema are gone"
    same "$(q -c "SELECT count(*) FROM pg_trigger WHERE tgrelid = '$2'::regclass AND NOT tgisinternal")" 0 "$1: no trigger left"
    same "$(q -c "SELECT count(*) FROM pg_constraint WHERE conrelid = '$2'::regclass AND conname LIKE '\_ender%'")" 0 "$1: no check left"
}
# by_hand_then VERB ID TABLE SQL: SQL run by hand on the job of ID, then ender_VERB ends it and
# leaves nothing behind.
by_hand_then() {
    as deployer -c "$4" >/dev/null
    same "$(as deployer -c "SELECT ender_$1('$2')" 2>/dev/null)" "$2" "ender_$1"
    ended "$2" "$3"
}
applied() { same "$(q -c "SELECT count(*) FROM ender.applied WHERE revision_id = '$1'")" 1 "$1 is applied"; }
not_null() { q -c "SELECT format_type(atttypid, atttypmod) || ':' || attnotnull FROM pg_attribute WHERE attrelid = '$1'::regclass AND attname = '$2'"; }

echo "   complete after SET NOT NULL by hand"
start oc1 t1 "set_not_null t1 note"
by_hand_then complete oc1 t1 "ALTER TABLE t1 ALTER note SET NOT NULL"
applied oc1
same "$(not_null t1 note)" "text:true" "note is NOT NULL"

echo "   complete after the unique constraint was attached by hand"
start oc2 t2 "add_unique t2 t2_note_key (note)"
by_hand_then complete oc2 t2 "ALTER TABLE t2 ADD CONSTRAINT t2_note_key UNIQUE USING INDEX t2_note_key"
applied oc2
same "$(q -c "SELECT contype FROM pg_constraint WHERE conname = 't2_note_key'")" u "the unique constraint"

echo "   complete after the old column was dropped by hand"
start oc3 t3 "alter_column t3 qty type bigint using (qty::bigint) down (qty::integer)"
by_hand_then complete oc3 t3 "ALTER TABLE t3 DROP COLUMN qty"
applied oc3
same "$(not_null t3 qty)" "bigint:true" "qty is the new column, NOT NULL"
same "$(q -c "SELECT sum(qty) FROM t3")" 500500 "the backfilled values"

echo "   complete after the whole swap was done by hand"
start oc4 t4 "alter_column t4 qty type bigint using (qty::bigint) down (qty::integer)"
by_hand_then complete oc4 t4 "ALTER TABLE t4 DROP COLUMN qty CASCADE; ALTER TABLE t4 RENAME _ender_new_qty TO qty"
same "$(not_null t4 qty)" "bigint:true" "qty is the new column, NOT NULL"

echo "   complete refused when the added column was dropped by hand; rollback ends the job"
start oc5 t5 "add_column t5 score integer NOT NULL BACKFILL (qty * 2)"
as deployer -c "ALTER TABLE t5 DROP COLUMN score CASCADE" >/dev/null
out=$(as deployer -c "SELECT ender_complete('oc5')" 2>&1 || true)
[[ "$out" == *'cannot complete: column "score"'*HINT*ender_rollback* ]] || fail "ender_complete: $out"
same "$(as deployer -c "SELECT ender_rollback('oc5')")" oc5 "ender_rollback"
ended oc5 t5

echo "   rollback after the new column was dropped by hand"
start or1 t6 "alter_column t6 qty type bigint using (qty::bigint) down (qty::integer)"
by_hand_then rollback or1 t6 "ALTER TABLE t6 DROP COLUMN _ender_new_qty CASCADE"
same "$(not_null t6 qty)" "integer:true" "qty unchanged"

echo "   rollback after the old column was dropped by hand"
start or2 t7 "alter_column t7 qty type bigint using (qty::bigint) down (qty::integer)"
by_hand_then rollback or2 t7 "ALTER TABLE t7 DROP COLUMN qty"
same "$(q -c "SELECT count(*) FROM pg_attribute WHERE attrelid = 't7'::regclass AND attname LIKE '\_ender%' AND NOT attisdropped")" 0 "the new column dropped"

echo "   rollback after the trigger was dropped by hand"
start or3 t8 "add_column t8 score integer NOT NULL BACKFILL (qty * 2)"
by_hand_then rollback or3 t8 "DROP TRIGGER _ender_sync_or3 ON t8"
same "$(q -c "SELECT count(*) FROM pg_attribute WHERE attrelid = 't8'::regclass AND attname = 'score' AND NOT attisdropped")" 0 "score dropped"

echo "   rollback after the table was renamed by hand"
start or4 item "alter_column item qty type bigint using (qty::bigint) down (qty::integer)"
by_hand_then rollback or4 item_renamed "ALTER TABLE item RENAME TO item_renamed"
as deployer -c "INSERT INTO item_renamed (id, qty) VALUES (1001, 1)" >/dev/null
same "$(as deployer -c "SELECT count(*) FROM ender_stamp('base')")" 0 "ender_stamp works again"
echo "   test/security/outside_ddl.sh: passed"
