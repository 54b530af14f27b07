#!/usr/bin/env bash
# Issue 16, item 8: row values never reach roles that cannot read the table. A unique key that
# fails on duplicated values (social security numbers) names them in the job's error: its
# owner and superusers see them (ender_status, ender_wait), an application role and another
# deployer do not, and neither does the table (last_error is no one else's to read). A
# hand-written job's operation (its phases' SQL) is for its owner, ender_admin and superusers.
. "$(dirname "$0")/lib.sh"

as deployer >/dev/null <<'SQL'
CREATE TABLE person (id int PRIMARY KEY, ssn text);
INSERT INTO person SELECT g, '078-05-' || lpad((g % 50)::text, 4, '0') FROM generate_series(1, 100) g;
SELECT ender_register($f$-- ender:revision v1
-- ender:online add_unique person person_ssn_key (ssn)
-- ender:upgrade
$f$);
SELECT ender_upgrade();
SQL
wait_for "SELECT phase FROM ender.online_job" failed

echo "   the owner sees the duplicated values"
err=$(as deployer -c "SELECT last_error FROM ender_status()")
[[ "$err" == *078-05-* ]] || fail "the owner does not see the values: $err"
out=$(as deployer -c "CALL ender_wait('v1')" 2>&1 || true)
[[ "$out" == *DETAIL*078-05-* ]] || fail "ender_wait's detail for the owner: $out"

for role in app other_deployer; do
    echo "   $role does not"
    same "$(as $role -c "SELECT phase || ':' || (last_error IS NULL) FROM ender_status()")" "failed:true" "$role's ender_status"
    out=$(as $role -c "CALL ender_wait('v1')" 2>&1 || true)
    [[ "$out" == *'online revision "v1" failed'* && "$out" != *078-05-* ]] || fail "ender_wait for $role: $out"
    refused 42501 $role "SELECT last_error FROM ender.online_job"
done
as deployer -c "SELECT ender_rollback('v1')" >/dev/null

echo "   a failed upgrade's logged error: ender_admin only"
as deployer -c "SELECT ender_register(id => 'v2', parents => '{}', upgrade => 'INSERT INTO person VALUES (1, ''078-05-1120'')')" >/dev/null
as deployer -c "CALL ender_upgrade_logged('v2')" >/dev/null 2>&1 || true
same "$(as deployer -c "SELECT error_detail LIKE '%(id)=(1)%' FROM ender_history() WHERE outcome = 'failed'")" t "ender_admin reads the detail"
same "$(as app -c "SELECT error_sqlstate || ':' || (error_detail IS NULL) FROM ender_history() WHERE outcome = 'failed'")" "23505:true" "app does not"
refused 42501 app "SELECT error_detail FROM ender.log"
echo "   a hand-written job's operation: its owner, ender_admin and superusers only"
as deployer >/dev/null <<'SQL'
SELECT ender_register($f$-- ender:revision v3
-- ender:expand
ALTER TABLE person ADD note text;
-- ender:backfill
UPDATE person SET note = 'token-5f3a9c' WHERE id IN (SELECT id FROM person WHERE note IS NULL LIMIT 50);
-- ender:contract
SELECT 1;
-- ender:rollback
ALTER TABLE person DROP COLUMN IF EXISTS note;
$f$);
SELECT ender_upgrade('v3');
SQL
wait_for "SELECT phase FROM ender.online_job" ready
for role in deployer other_deployer postgres; do
    [[ "$(as $role -c "SELECT operation FROM ender_status()")" == custom*token-5f3a9c* ]] || fail "$role does not see the operation"
done
same "$(as other_deployer -c "SELECT count(*) FROM ender.online_job WHERE operation LIKE '%token-5f3a9c%'")" 1 "ender_admin reads the column"
same "$(as app -c "SELECT revision || ':' || operation || ':' || phase FROM ender_status()")" "v3:custom:ready" "app sees the job, not its SQL"
refused 42501 app "SELECT operation FROM ender.online_job"
same "$(as app -c "SELECT count(*) FROM ender.online_job")" 1 "app may count jobs"
as deployer -c "SELECT ender_rollback('v3')" >/dev/null
echo "   test/security/values.sh: passed"
