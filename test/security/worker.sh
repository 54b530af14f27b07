#!/usr/bin/env bash
# Issue 16, item 3: the worker runs as the role that started the job, recorded as an OID only
# ender writes, and before each step checks that the role may still log in and that the job
# still runs its revision's registered operation, and that the role is still a member of
# ender_admin (or a superuser). A role that cannot log in is refused up front;
# a worker that cannot log in does not restart in a loop (the server log shows at most one
# refused login), and its job fails with a clear error.
. "$(dirname "$0")/lib.sh"

as deployer >/dev/null <<'SQL'
CREATE TABLE item (id int PRIMARY KEY, qty int NOT NULL);
INSERT INTO item SELECT g, g FROM generate_series(1, 20000) g;
SELECT ender_register($f$-- ender:revision w1
-- ender:expand
ALTER TABLE item ADD qty2 bigint;
-- ender:backfill
UPDATE item SET qty2 = qty * 2 WHERE id IN (SELECT id FROM item WHERE qty2 IS NULL ORDER BY id LIMIT 100);
-- ender:contract
ALTER TABLE item DROP qty;
-- ender:rollback
ALTER TABLE item DROP COLUMN IF EXISTS qty2;
$f$);
SQL

echo "   the worker runs as the role that started the job"
as deployer -c "SET ender.backfill_pause = '200ms'; SELECT ender_upgrade()" >/dev/null
wait_for "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'ender online worker' AND usename = 'deployer'" 1
same "$(q -c "SELECT owner FROM ender.online_job")" deployer "the job's owner"

echo "   the job's operation changed under the worker"
q -c "UPDATE ender.online_job SET operation = replace(operation, 'qty * 2', 'nextval(''public.canary'')')"
wait_for "SELECT phase FROM ender.online_job" failed
same "$(canary)" "$untouched" "the canary sequence"
err=$(as deployer -c "SELECT last_error FROM ender_status()")
[[ "$err" == *'does not run the revision'*'operation'* ]] || fail "last_error: $err"
as deployer -c "SELECT ender_rollback('w1')" >/dev/null

echo "   the revision's phases changed under the worker"
as deployer -c "SET ender.backfill_pause = '200ms'; SELECT ender_upgrade()" >/dev/null
wait_for "SELECT phase FROM ender.online_job" backfill
q -c "UPDATE ender.revision SET online = replace(online, 'qty * 2', 'nextval(''public.canary'')'); UPDATE ender.online_job SET operation = (SELECT online FROM ender.revision WHERE id = 'w1')"
wait_for "SELECT phase FROM ender.online_job" failed
same "$(canary)" "$untouched" "the canary sequence"
err=$(as deployer -c "SELECT last_error FROM ender_status()")
[[ "$err" == *'revision "w1" does not match its checksum'* ]] || fail "last_error: $err"
refused XX001 deployer "SELECT ender_rollback('w1')"
q -c "DELETE FROM ender.online_job; DROP SCHEMA ender_w1 CASCADE; ALTER TABLE item DROP COLUMN qty2; UPDATE ender.revision SET online = replace(online, 'nextval(''public.canary'')', 'qty * 2')" >/dev/null

echo "   the owner leaves ender_admin while its worker runs"
as deployer -c "SET ender.backfill_pause = '200ms'; SELECT ender_upgrade()" >/dev/null
wait_for "SELECT phase FROM ender.online_job" backfill
q -c "REVOKE ender_admin FROM deployer"
wait_for "SELECT phase FROM ender.online_job" failed
err=$(q -c "SELECT last_error FROM ender.online_job")
[[ "$err" == *'role "deployer", is no longer a member of ender_admin'* ]] || fail "last_error: $err"
wait_for "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'ender online worker'" 0
sleep 2  # not a synchronisation: the time a worker restarted in a loop would take to show up
same "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'ender online worker'")" 0 "no worker"
same "$(grep -c 'is no longer a member of ender_admin' "$log")" 1 "one failure logged, no restart loop"
same "$(q -c "SELECT phase FROM ender.online_job")" failed "the job stays failed"
refused 42501 deployer "SELECT ender_resume()"
q -c "GRANT ender_admin TO deployer" >/dev/null
as deployer -c "SELECT ender_rollback('w1')" >/dev/null

echo "   a role that cannot log in is refused up front"
q -c "CREATE ROLE deploy_group NOLOGIN IN ROLE ender_admin; GRANT deploy_group TO deployer; ALTER TABLE item OWNER TO deploy_group" >/dev/null
out=$(as deployer -c "SET ROLE deploy_group; SELECT ender_upgrade()" 2>&1 || true)
[[ "$out" == *'role "deploy_group" cannot start online revision "w1"'* && "$out" == *HINT* ]] || fail "no refusal up front: $out"
same "$(q -c "SELECT count(*) FROM ender.online_job")" 0 "no job"

echo "   the owner loses LOGIN while its worker runs; the worker is killed"
before=$(grep -c 'is not permitted to log in' "$log" || true)
as deployer -c "SET ender.backfill_pause = '200ms'; SELECT ender_upgrade()" >/dev/null
wait_for "SELECT phase FROM ender.online_job" backfill
q -c "ALTER ROLE deployer NOLOGIN"
wait_for "SELECT phase FROM ender.online_job" failed
err=$(q -c "SELECT last_error FROM ender.online_job")
[[ "$err" == *'cannot log in'* ]] || fail "last_error: $err"
q -c "ALTER ROLE deployer LOGIN; SELECT ender_rollback('w1')" >/dev/null
as deployer -c "SET ender.backfill_pause = '200ms'; SELECT ender_upgrade()" >/dev/null
wait_for "SELECT phase FROM ender.online_job" backfill
pid=$(q -c "SELECT worker_pid FROM ender.online_job")
q -c "ALTER ROLE deployer NOLOGIN; SELECT pg_terminate_backend($pid)" >/dev/null
sleep 4  # not a synchronisation: the postmaster would have restarted a looping worker four times
wait_for "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'ender online worker'" 0
refusals=$(( $(grep -c 'is not permitted to log in' "$log" || true) - before ))
[ "$refusals" -le 1 ] || fail "$refusals refused logins in the server log: the worker restarts in a loop"
q -c "SELECT ender_status()" >/dev/null  # resumes: finds the owner cannot log in
same "$(q -c "SELECT phase FROM ender.online_job")" failed "the job failed"
err=$(q -c "SELECT last_error FROM ender.online_job")
[[ "$err" == *'cannot start'*'cannot log in'* ]] || fail "last_error: $err"
sleep 2  # not a synchronisation: the time a looping worker would take to log in again
refusals=$(( $(grep -c 'is not permitted to log in' "$log" || true) - before ))
[ "$refusals" -le 1 ] || fail "$refusals refused logins in the server log after ender_status"
q -c "ALTER ROLE deployer LOGIN" >/dev/null
as deployer -c "SELECT ender_rollback('w1')" >/dev/null

echo "   workers only for the caller's own jobs, never twice"
# A minute between batches (the longest ender.backfill_pause): the job outlives this part however slow the machine (ender_rollback
# ends the pause).
as deployer -c "SET ender.backfill_pause = '1min'; SELECT ender_upgrade()" >/dev/null
wait_for "SELECT phase FROM ender.online_job" backfill
pid=$(q -c "SELECT worker_pid FROM ender.online_job")
q -c "SELECT pg_terminate_backend($pid)" >/dev/null
same "$(as other_deployer -c "SELECT ender_resume()")" 0 "other_deployer starts no worker for deployer's job"
for _ in 1 2 3 4 5; do as deployer -c "SELECT ender_resume()" >/dev/null & done
wait
# Workers started twice for the job leave once they find it taken: one is left, driving it.
wait_for "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'ender online worker'" 1
wait_for "SELECT worker_pid = (SELECT pid FROM pg_stat_activity WHERE backend_type = 'ender online worker') FROM ender.online_job" t
as deployer -c "SELECT ender_rollback('w1')" >/dev/null
echo "   test/security/worker.sh: passed"
