#!/usr/bin/env bash
# Migrating at startup (issue 20; docs/client.md): examples/service migrates itself from the
# files compiled into it, with a C++ data step; eight copies started at once apply each revision
# once; skip when another instance holds ender's lock; drift refused; the standalone command and
# plain ender_upgrade refuse a revision with a step; the migrate program runs steps both ways.
source "$(dirname "$0")/lib.sh"
service="$bin/service_app"
migrations="$root/examples/service/migrations"
# How many times revision $2 was applied in database $1 (ok log entries).
applied_times() {
    psql_q -d "$1" -c "SELECT count(*) FROM ender.log WHERE revision_id = '$2' AND operation = 'upgrade' AND outcome = 'ok'"
}

echo "   one instance: every revision and the step, then nothing more"
scratch_db svc_one
program=$service
PGDATABASE=svc_one expect 0
has "migrated: applied=3 svc0001accts svc0002email svc0003req; steps=1 svc0002email:backfill_emails"
has "serving: 3 accounts with an email"
same "$(psql_q -d svc_one -c "SELECT string_agg(email, ',' ORDER BY id) FROM account")" \
    "ada@example.com,grace@example.com,linus@example.com"
same "$(psql_q -d svc_one -c "SELECT count(*) FROM email_backfill")" 3
PGDATABASE=svc_one expect 0
has "migrated: applied=0; steps=0"
same "$(applied_times svc_one svc0002email)" 1

echo "   version 2 adds an online revision: left pending, started without waiting, then in progress"
program="$bin/service_app_v2"
PGDATABASE=svc_one expect 0 --stop-at-online
has "applied=0; steps=0; online pending: svc0004login"
same "$(psql_q -d svc_one -c "SELECT count(*) FROM ender.online_job")" 0
PGDATABASE=svc_one expect 0
has "applied=0; steps=0; online started: svc0004login"
has "serving: 3 accounts with an email"
PGDATABASE=svc_one expect 0
has "online in progress: svc0004login"
psql_q -d svc_one -c "CALL ender_wait('svc0004login', '5 minutes')" >/dev/null
psql_q -d svc_one -c "SELECT ender_complete('svc0004login')" >/dev/null
PGDATABASE=svc_one expect 0
has "migrated: applied=0; steps=0"
lacks "online"
same "$(psql_q -d svc_one -c "SELECT string_agg(login, ',' ORDER BY id) FROM account")" "ada,grace,linus"
program=$service

echo "   eight instances at once: one applies, all end at head, nothing twice"
scratch_db svc_many
pids=()
for n in 1 2 3 4 5 6 7 8; do
    PGDATABASE=svc_many "$service" >"$work/many.$n" 2>&1 &
    pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
same "$status" 0
cat "$work"/many.* >"$work/many"
out=$(cat "$work/many")
same "$(grep -c "applied=3 " "$work/many")" 1
same "$(grep -c "applied=0;" "$work/many")" 7
same "$(grep -c "serving: 3 accounts with an email" "$work/many")" 8
same "$(psql_q -d svc_many -c "SELECT string_agg(c, ',') FROM ender_current() c")" svc0003req
for rev in svc0001accts svc0002email svc0003req; do
    same "$(applied_times svc_many $rev)" 1
done
same "$(psql_q -d svc_many -c "SELECT count(*) FROM email_backfill")" 3

echo "   --skip while another session holds ender's lock: the service goes on without migrating"
scratch_db svc_skip
psql -X -q -d svc_skip -c "BEGIN" -c "UPDATE ender.state SET generation = generation" \
    -c "SELECT pg_sleep(3600) /* svc_skip holder */" >/dev/null 2>&1 &
holder=$!
# Until the holder sleeps (its UPDATE done: ender's lock held); five minutes at most.
deadline=$((SECONDS + 300))
until [ "$(psql_q -d svc_skip -c "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%svc_skip holder%' AND state = 'active' AND pid <> pg_backend_pid()")" = 1 ]; do
    [ "$SECONDS" -lt "$deadline" ] || { echo "FAIL: the holder of ender's lock did not start"; exit 1; }
    sleep 0.1
done
PGDATABASE=svc_skip expect 0 --skip
has "skipped (another instance is migrating)"
same "$(psql_q -d svc_skip -c "SELECT count(*) FROM ender.revision")" 0
psql_q -d svc_skip -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%svc_skip holder%' AND pid <> pg_backend_pid()" >/dev/null
wait "$holder" 2>/dev/null || true
PGDATABASE=svc_skip expect 0 --skip
has "migrated: applied=3"

echo "   drift: a file changed after its revision was applied is refused, naming the revision"
scratch_db svc_drift
mkdir "$work/drift"
cp "$migrations"/0001_accounts.sql "$work/drift/"
sed -i 's/^DROP TABLE account;/DROP TABLE account CASCADE;/' "$work/drift/0001_accounts.sql"
program=$ender
expect 0 upgrade --dsn dbname=svc_drift --dir "$work/drift"
program=$service
PGDATABASE=svc_drift expect 3
has 'revision "svc0001accts" is applied and its content has changed' err
has "SQLSTATE: 55000" err
same "$(psql_q -d svc_drift -c "SELECT count(*) FROM ender.revision")" 1

echo "   the standalone command and ender_upgrade refuse a revision with a step"
scratch_db svc_cli
program=$ender
expect 1 upgrade --dsn dbname=svc_cli --dir "$migrations"
has 'revision "svc0002email" has a C++ data step "backfill_emails", which this program cannot run' err
has "the application's migrate program" err
same "$(psql_q -d svc_cli -c "SELECT count(*) FROM ender.applied")" 0
expect 0 upgrade svc0001accts --dsn dbname=svc_cli --dir "$migrations"
same "$(psql_q -d svc_cli -c "SELECT string_agg(c, ',') FROM ender_current() c")" svc0001accts
refused=$(psql -X -q -d svc_cli -c "SELECT ender_upgrade()" 2>&1 || true)
out=$refused
has 'ERROR:  revision "svc0002email" has a C++ data step "backfill_emails"'
has "HINT:  Run the application's migrate program"

echo "   the migrate program: upgrade runs the step, downgrade runs its downgrade function first"
program=$service
expect 0 migrate upgrade --dsn dbname=svc_cli --dir "$migrations"
same "$(psql_q -d svc_cli -c "SELECT count(*) FROM account WHERE email IS NOT NULL")" 3
expect 0 migrate downgrade svc0001accts --dsn dbname=svc_cli --dir "$migrations"
same "$(psql_q -d svc_cli -c "SELECT string_agg(c, ',') FROM ender_current() c")" svc0001accts
same "$(psql_q -d svc_cli -c "SELECT count(*) FROM account WHERE email IS NULL")" 3
same "$(psql_q -d svc_cli -c "SELECT to_regclass('email_backfill') IS NULL")" t

echo "   a step the program does not register: refused before anything runs"
cp -r "$migrations" "$work/unknown"
cat >"$work/unknown/0004_unknown.sql" <<'EOF'
-- ender:revision svc0004unk
-- ender:parents svc0003req
-- ender:step send_welcome_mail
-- ender:upgrade
SELECT 1;
EOF
expect 1 migrate upgrade --dsn dbname=svc_cli --dir "$work/unknown"
has 'revision "svc0004unk" has a C++ data step "send_welcome_mail", which this program does not register' err
same "$(psql_q -d svc_cli -c "SELECT string_agg(c, ',') FROM ender_current() c")" svc0001accts

finish migrate
