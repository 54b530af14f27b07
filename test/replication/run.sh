#!/usr/bin/env bash
# Replication-aware upgrades (docs/replication.md), on clusters of its own (initdb in a
# temporary directory, unix sockets only, wal_level=logical): a publisher with a FOR ALL TABLES
# publication, a subscriber, a writer inserting into the publisher throughout, and
# `ender upgrade --dsn-file` over ADD COLUMN, CREATE TABLE and DROP COLUMN revisions: no apply
# error in the subscriber's log, every row arrives, every member at the head, each member's
# ender state its own. A mixed revision is refused, then split (ender split) and applied in the
# safe order. Then a streaming standby of the publisher:
# no online worker starts there while an online revision runs on the primary.
# Usage: test/replication/run.sh [path/to/ender]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ender=$(realpath "${1:-$here/../../build/cmake/ender}")
source "$here/lib.sh"
pub_port=$base_port sub_port=$((base_port + 1)) standby_port=$((base_port + 2))
cluster pub "$pub_port"
cluster sub "$sub_port"
qp() { q "$pub_port" "$@"; }
qs() { q "$sub_port" "$@"; }
cd "$work"
printf '%s\n%s\n' "$(dsn "$pub_port")" "$(dsn "$sub_port")" >fleet.txt
mkdir migrations
revision() {  # file id parent sql
    {
        printf -- '-- ender:revision %s\n' "$2"
        [ -z "$3" ] || printf -- '-- ender:parents %s\n' "$3"
        printf -- '-- ender:upgrade\n%s\n' "$4"
    } >"migrations/$1.sql"
}
revision 0_hero r0 "" "CREATE TABLE hero (id bigint PRIMARY KEY, name text NOT NULL, legacy text);"
for port in "$pub_port" "$sub_port"; do q "$port" -c "CREATE EXTENSION ender" 2>/dev/null; done
"$ender" --dir migrations upgrade --dsn-file fleet.txt >out.txt || fail "first upgrade: $(cat out.txt)"

echo "   a FOR ALL TABLES publication takes ender's tables too: the subscriber keeps its own state"
qp -c "CREATE PUBLICATION everything FOR ALL TABLES"
qs -c "CREATE SUBSCRIPTION s CONNECTION '$(dsn "$pub_port")' PUBLICATION everything" 2>/dev/null
[ "$(qp -c "SELECT count(*) FROM pg_publication_tables WHERE schemaname = 'ender'")" -ge 4 ] ||
    fail "ender's tables are not in the FOR ALL TABLES publication"

# The writer: one row a transaction into hero, and into team once it exists, until cancelled.
PGAPPNAME=writer qp -c "DO \$\$
DECLARE i bigint := 0;
BEGIN
    LOOP
        i := i + 1;
        INSERT INTO hero (id, name) VALUES (i, 'hero ' || i);
        IF pg_catalog.to_regclass('public.team') IS NOT NULL THEN
            EXECUTE 'INSERT INTO team (id, name) VALUES (\$1, \$2)' USING i, 'team ' || i;
        END IF;
        COMMIT;
        PERFORM pg_sleep(0.005);
    END LOOP;
END \$\$" >writer.txt 2>&1 &
writer=$!
until_true "$pub_port" "SELECT count(*) > 0 FROM hero" || fail "the writer wrote nothing: $(cat writer.txt)"

revision 1_power r1 r0 "ALTER TABLE hero ADD COLUMN power integer;"
revision 2_team r2 r1 "CREATE TABLE team (id bigint PRIMARY KEY, name text);"
revision 3_legacy r3 r2 "ALTER TABLE hero DROP COLUMN legacy;"

echo "   the plan shows the topology and the safe order"
"$ender" --dir migrations upgrade --plan --dsn-file fleet.txt >plan.txt || fail "plan: $(cat plan.txt)"
grep -q "s -> member 1" plan.txt || fail "the plan does not match the subscription: $(cat plan.txt)"
grep -q "everything (all tables)" plan.txt || fail "the plan does not show the publication: $(cat plan.txt)"
steps=$(grep -E '^r[0-9] ' plan.txt | sed -E 's/ +/ /g')
expected="r1 additive apply on member 2
r1 additive apply on member 1
r2 additive apply on member 2
r2 additive apply on member 1
r2 additive refresh subscription s on member 2
r3 subtractive apply on member 1
r3 subtractive wait until subscription s of member 2 confirms member 1's LSN
r3 subtractive apply on member 2"
[ "$steps" = "$expected" ] || fail "the order is wrong:
$steps"
[ "$(qp -c "SELECT count(*) FROM ender.applied")" = 1 ] || fail "the plan applied something"
"$ender" --dir migrations --json upgrade --plan --dsn-file fleet.txt >plan.json
python3 -c "import json,sys; d=json.load(open('plan.json')); assert [s['action'] for s in d['steps']][:2]==['apply','apply'] and d['members'][1]['depth']==1, d"

echo "   a subscription whose connection cannot be read (not superuser): declared in the file"
for port in "$pub_port" "$sub_port"; do q "$port" -c "CREATE ROLE migrator LOGIN; GRANT ender_admin TO migrator"; done
printf '%s\n%s\n' "$(dsn "$pub_port" | sed 's/user=postgres/user=migrator/')" \
    "$(dsn "$sub_port" | sed 's/user=postgres/user=migrator/')" >fleet-migrator.txt
"$ender" --dir migrations upgrade --plan --dsn-file fleet-migrator.txt >plan2.txt 2>warn.txt || fail "$(cat plan2.txt warn.txt)"
grep -q "s -> unknown (declare it: # subscribes to N)" plan2.txt || fail "$(cat plan2.txt)"
grep -q 'the publisher of subscription "s" of member 2 is unknown' warn.txt || fail "no warning: $(cat warn.txt)"
grep -q "r1 *additive *apply on member 1" plan2.txt || fail "unknown topology, yet ordered: $(cat plan2.txt)"
sed -i '2s/$/   # subscribes to 1/' fleet-migrator.txt
"$ender" --dir migrations upgrade --plan --dsn-file fleet-migrator.txt >plan3.txt || fail "$(cat plan3.txt)"
[ "$(grep -E '^r[0-9] ' plan3.txt | sed -E 's/ +/ /g')" = "$expected" ] || fail "declared: $(cat plan3.txt)"
sed -i '2s/subscribes to 1/subscribes to 3/' fleet-migrator.txt
if "$ender" --dir migrations upgrade --plan --dsn-file fleet-migrator.txt >bad.txt 2>&1; then fail "member 3 of 2 accepted"; fi
grep -q 'line 2 of "fleet-migrator.txt" subscribes to member 3, which is not another member' bad.txt ||
    fail "$(cat bad.txt)"

echo "   the upgrade, with the writer running"
"$ender" --dir migrations upgrade --dsn-file fleet.txt >up.txt 2>&1 || fail "upgrade: $(cat up.txt)"
grep -q "upgraded 2 replicated databases in 8 steps" up.txt || fail "$(cat up.txt)"
# The writer goes on after the upgrade: rows into hero, without legacy, and into team.
last=$(qp -c "SELECT max(id) FROM hero")
until_true "$pub_port" "SELECT max(id) > $last + 10 FROM hero" || fail "the writer stopped: $(cat writer.txt)"
until_true "$pub_port" "SELECT count(*) > 0 FROM team" || fail "the writer wrote nothing into team: $(cat writer.txt)"
kill "$writer" 2>/dev/null || true
qp -c "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'writer'" >/dev/null
wait "$writer" 2>/dev/null || true
writer=
caught_up "$pub_port" s
for t in hero team; do
    p=$(qp -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(id || name, ',' ORDER BY id), '')) FROM $t")
    s=$(qs -c "SELECT count(*) || ' ' || md5(coalesce(string_agg(id || name, ',' ORDER BY id), '')) FROM $t")
    [ "$p" = "$s" ] || fail "$t differs: publisher $p, subscriber $s"
    [ "${p%% *}" -gt 0 ] || fail "no row written into $t"
    echo "   $t: ${p%% *} rows on the publisher, all on the subscriber"
done
if grep -E "ERROR|duplicate key|missing replicated column" "$work/sub.log"; then
    fail "errors in the subscriber's log"
fi
for port in "$pub_port" "$sub_port"; do
    [ "$(q "$port" -c "SELECT string_agg(c, ',') FROM ender_current() c")" = r3 ] ||
        fail "member on port $port is not at the head"
    # Its own bookkeeping only: one applied row and one log row per revision it ran.
    [ "$(q "$port" -c "SELECT count(*) FROM ender.applied")" = 4 ] || fail "applied rows on $port"
    [ "$(q "$port" -c "SELECT count(*) FROM ender.log WHERE operation = 'upgrade'")" = 4 ] ||
        fail "log rows on $port: $(q "$port" -c "SELECT * FROM ender.log")"
done
[ "$(qs -c "SELECT count(*) FROM information_schema.columns WHERE table_name = 'hero' AND column_name = 'legacy'")" = 0 ] ||
    fail "the subscriber still has hero.legacy"
[ "$(qs -c "SELECT srsubstate FROM pg_subscription_rel WHERE srrelid = 'team'::regclass")" = r ] ||
    fail "team is not replicated to the subscriber"

echo "   a revision that adds and removes is refused, nothing applied; split, it upgrades in order"
revision 4_mixed r4 r3 "ALTER TABLE hero ADD COLUMN rank integer;
ALTER TABLE hero DROP COLUMN power;"
if "$ender" --dir migrations upgrade --dsn-file fleet.txt >mixed.txt 2>&1; then fail "mixed revision applied"; fi
grep -q 'revision "r4" both adds and removes schema in a replicated fleet' mixed.txt || fail "$(cat mixed.txt)"
grep -q 'HINT:  Run "ender split r4"' mixed.txt || fail "$(cat mixed.txt)"
for port in "$pub_port" "$sub_port"; do
    [ "$(q "$port" -c "SELECT count(*) FROM ender.applied")" = 4 ] || fail "r4 applied on $port"
done
"$ender" --dir migrations split r4 --dsn-file fleet.txt --json >split.json || fail "split: $(cat split.json)"
r5=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["new_revision"])' <split.json)
"$ender" --dir migrations upgrade --plan --dsn-file fleet.txt >plan.txt || fail "plan: $(cat plan.txt)"
steps=$(grep -E "^(r4|$r5) " plan.txt | sed -E 's/ +/ /g')
expected="r4 additive apply on member 2
r4 additive apply on member 1
$r5 subtractive apply on member 1
$r5 subtractive wait until subscription s of member 2 confirms member 1's LSN
$r5 subtractive apply on member 2"
[ "$steps" = "$expected" ] || fail "the split revisions' order is wrong:
$steps"
"$ender" --dir migrations upgrade --dsn-file fleet.txt >split-upgrade.txt 2>&1 || fail "$(cat split-upgrade.txt)"
qp -c "INSERT INTO hero (id, name, rank) VALUES (1000000, 'after the split', 7)" >/dev/null
caught_up "$pub_port" s
[ "$(qs -c "SELECT rank FROM hero WHERE id = 1000000")" = 7 ] || fail "a row written after the split did not arrive"
for port in "$pub_port" "$sub_port"; do
    [ "$(q "$port" -c "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'hero'::regclass AND attnum > 0 AND NOT attisdropped")" = id,name,rank ] ||
        fail "hero's columns on $port"
    [ "$(q "$port" -c "SELECT string_agg(c, ',') FROM ender_current() c")" = "$r5" ] || fail "member on $port is not at $r5"
done
if grep -E "ERROR|missing replicated column" "$work/sub.log"; then
    fail "errors in the subscriber's log after the split upgrade"
fi

echo "   a streaming standby: no online worker starts during recovery"
qs -c "DROP SUBSCRIPTION s" 2>/dev/null
as_pg "$bin/pg_basebackup" -h "$work" -p "$pub_port" -U postgres -D "$work/standby" -R -X stream
start standby "$standby_port" -c wal_receiver_status_interval=1s
qb() { q "$standby_port" "$@"; }
qp >/dev/null <<SQL
CREATE TABLE item (id bigint PRIMARY KEY, qty integer NOT NULL);
INSERT INTO item SELECT g, g % 977 FROM generate_series(1, 20000) g;
SELECT ender_register(\$file\$-- ender:revision rs1
-- ender:parents $r5
-- ender:online alter_column item qty type bigint using (qty::bigint * 3) down ((qty / 3)::integer)
-- ender:upgrade
\$file\$);
SET ender.backfill_batch_size = 200;
SET ender.backfill_pause = '1min';
SELECT ender_upgrade();
SQL
# After each batch the worker pauses for a minute (the longest ender.backfill_pause): the job is in backfill, on the primary
# and, once replayed, on the standby, however slow the machine.
until_true "$standby_port" "SELECT count(*) = 1 FROM ender.online_job WHERE phase = 'backfill'" ||
    fail "the standby does not see the job in backfill: $(qp -c "SELECT phase, rows_done FROM ender.online_job")"
[ "$(qb -c "SELECT phase FROM ender_status()")" = backfill ] || fail "ender_status on the standby does not show the job"
for _ in 1 2 3; do
    [ "$(qb -c "SELECT ender_resume()")" = 0 ] || fail "ender_resume started a worker on the standby"
done
[ "$(qb -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'ender online worker'")" = 0 ] ||
    fail "an online worker runs on the standby"
# The rest of the backfill without pauses: the paused worker is ended, and the one the
# postmaster starts again takes the job's new pause.
qp -c "UPDATE ender.online_job SET batch_pause_ms = 0" >/dev/null
qp -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'ender online worker'" >/dev/null
[ "$(qp -c "CALL ender_wait('rs1', '5 minutes')")" = ready ] || fail "the job is not ready on the primary"
qp -c "SELECT ender_complete('rs1')" >/dev/null
lsn=$(qp -c "SELECT pg_current_wal_lsn()")
until_true "$standby_port" "SELECT pg_last_wal_replay_lsn() >= '$lsn'" || fail "the standby did not replay the completed revision"
[ "$(qb -c "SELECT count(*) FROM item WHERE qty <> (id % 977) * 3")" = 0 ] || fail "standby rows differ"
[ "$(qb -c "SELECT format_type(atttypid, -1) FROM pg_attribute WHERE attrelid = 'item'::regclass AND attname = 'qty'")" = bigint ] ||
    fail "the standby did not replay the online revision"
echo "   standby: the job seen, no worker started, the completed revision replayed: ok"

echo "   the backfill waits while the standby lags (ender.backfill_max_replication_lag)"
qp >/dev/null <<'SQL'
LOAD 'ender';  -- its settings are defined when the library loads
ALTER SYSTEM SET ender.backfill_max_replication_lag = '256kB';
SELECT pg_reload_conf();
SELECT ender_register($file$-- ender:revision rs2
-- ender:parents rs1
-- ender:online alter_column item qty type numeric using (qty::numeric) down (qty::bigint)
-- ender:upgrade
$file$);
SQL
qb -c "SELECT pg_wal_replay_pause()" >/dev/null
qp -c "SET ender.backfill_batch_size = 500; SET ender.backfill_pause = 0; SELECT ender_upgrade()" >/dev/null
until_true "$pub_port" "SELECT coalesce(replication_lag_bytes, 0) > 262144 FROM ender_status()" ||
    fail "the standby never lagged by more than 256kB (lag $(qp -c "SELECT replication_lag_bytes FROM ender_status()"))"
lag=$(qp -c "SELECT replication_lag_bytes FROM ender_status()")
# Every step the worker starts from now on finds the lag over the limit (replay is paused, so
# it only grows); a step that started before holds the job's row until it commits, and FOR
# UPDATE reads the progress after it.
before=$(qp -c "SELECT rows_done FROM ender.online_job FOR UPDATE")
sleep 1.5  # not a synchronisation: the time in which an unthrottled worker would run batches
after=$(qp -c "SELECT rows_done FROM ender.online_job FOR UPDATE")
[ "$before" = "$after" ] || fail "the backfill went on while the standby lagged: $before then $after rows"
[ "$after" -lt 20000 ] || fail "the backfill ended before the standby lagged"
qb -c "SELECT pg_wal_replay_resume()" >/dev/null
[ "$(qp -c "CALL ender_wait('rs2', '5 minutes')")" = ready ] || fail "rs2 not ready after the standby caught up"
qp -c "SELECT ender_complete('rs2')" >/dev/null
echo "   throttled at $after of 20000 rows while replay was paused (lag $lag bytes), done once it resumed: ok"
