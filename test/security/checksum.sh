#!/usr/bin/env bash
# Issue 16, item 4: ender_upgrade verifies each revision's SQL against its checksum when it
# applies it. The revision's SQL is changed in the table after review (by the only role that
# still can, the owner, standing for a restore or a hand edit): ender_upgrade refuses, naming
# the revision, and nothing of the upgrade runs (the canary sequence is untouched, the first,
# intact revision is not applied either). Registering the reviewed file again restores it.
. "$(dirname "$0")/lib.sh"

r1='-- ender:revision c1
-- ender:upgrade
CREATE TABLE first (id int);
-- ender:downgrade
DROP TABLE first;'
r2='-- ender:revision c2
-- ender:parents c1
-- ender:upgrade
CREATE TABLE second (id int);
-- ender:downgrade
DROP TABLE second;'
as deployer -v r1="$r1" -v r2="$r2" <<<"SELECT ender_register(:'r1'), ender_register(:'r2')" >/dev/null
q -c "UPDATE ender.revision SET upgrade_sql = 'SELECT nextval(''public.canary''); CREATE TABLE second (id int);' WHERE id = 'c2'"

echo "   upgrade over a revision changed after review"
out=$(as deployer -v VERBOSITY=verbose -c "SELECT ender_upgrade()" 2>&1 || true)
[[ "$out" == *"XX001"*'revision "c2" does not match its checksum'* ]] || fail "no checksum error naming c2: $out"
same "$(canary)" "$untouched" "the canary sequence"
same "$(q -c "SELECT count(*) FROM ender.applied")|$(q -c "SELECT count(*) FROM pg_class WHERE relname IN ('first', 'second')")" "0|0" "nothing applied, nothing created"
refused XX001 deployer "CALL ender_upgrade_logged()"
same "$(canary)" "$untouched" "the canary sequence after ender_upgrade_logged"

echo "   the reviewed file registered again restores the revision"
as deployer -v r2="$r2" <<<"SELECT ender_register(:'r2')" >/dev/null
same "$(as deployer -c "SELECT string_agg(u, ',') FROM ender_upgrade() u")" "c1,c2" "upgrade after the restore"
same "$(canary)" "$untouched" "the canary sequence after the upgrade"

echo "   downgrade SQL is verified too"
q -c "UPDATE ender.revision SET downgrade_sql = 'SELECT nextval(''public.canary'')' WHERE id = 'c2'"
refused XX001 deployer "SELECT ender_downgrade('base')"
same "$(canary)|$(q -c "SELECT count(*) FROM ender.applied")" "$untouched|2" "nothing undone"
echo "   test/security/checksum.sh: passed"
