#!/usr/bin/env bash
# Replication benchmarks (docs/benchmarks.md#replication, docs/replication.md), on clusters of
# their own (test/replication/lib.sh):
#  1. a two-member fleet (publisher with FOR ALL TABLES, one subscriber) upgraded over three
#     revisions (ADD COLUMN, CREATE TABLE, DROP COLUMN) by `ender upgrade --dsn-file`, against
#     the same SQL applied by hand with psql in the safe order (subscriber, publisher, refresh,
#     wait for the subscriber, subscriber): the median of REPS runs of each;
#  2. a streaming standby's reader against the online executor: a standby query open across
#     the expand step (lock conflict), and one open during a backfill followed by VACUUM,
#     with hot_standby_feedback off and on.
# Usage: bench/replication_bench.sh [path/to/ender] [REPS] [PARTS]   (PARTS: "1 2", the default)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ender=$(realpath "${1:-$here/../build/cmake/ender}")
reps=${2:-5}
parts=${3:-1 2}
source "$here/../test/replication/lib.sh"
pub=$base_port sub=$((base_port + 1)) standby=$((base_port + 2))
cluster pub "$pub" -c max_replication_slots=20 -c max_wal_senders=20
cluster sub "$sub"
cd "$work"
now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

mkdir migrations
printf -- '-- ender:revision r0\n-- ender:upgrade\nCREATE TABLE hero (id bigint PRIMARY KEY, name text NOT NULL, legacy text);\n' >migrations/0.sql
r1="ALTER TABLE hero ADD COLUMN power integer;"
r2="CREATE TABLE team (id bigint PRIMARY KEY, name text);"
r3="ALTER TABLE hero DROP COLUMN legacy;"
printf -- '-- ender:revision r1\n-- ender:parents r0\n-- ender:upgrade\n%s\n' "$r1" >migrations/1.sql
printf -- '-- ender:revision r2\n-- ender:parents r1\n-- ender:upgrade\n%s\n' "$r2" >migrations/2.sql
printf -- '-- ender:revision r3\n-- ender:parents r2\n-- ender:upgrade\n%s\n' "$r3" >migrations/3.sql

# A publisher/subscriber pair of databases named $1, hero created and 10,000 rows in sync.
pair() {
    for port in $pub $sub; do
        q "$port" -c "CREATE DATABASE $1" >/dev/null
        db=$1 q "$port" -c "CREATE EXTENSION ender" >/dev/null
        db=$1 q "$port" -c "CREATE TABLE hero (id bigint PRIMARY KEY, name text NOT NULL, legacy text)"
    done
    db=$1 q $pub -c "INSERT INTO hero SELECT g, 'hero ' || g, 'x' FROM generate_series(1, 10000) g"
    db=$1 q $pub -c "CREATE PUBLICATION everything FOR ALL TABLES"
    db=$1 q $sub -c "CREATE SUBSCRIPTION s_$1 CONNECTION '$(dsn $pub "$1")' PUBLICATION everything" 2>/dev/null
    for _ in $(seq 1 300); do
        [ "$(db=$1 q $sub -c "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'")" = 0 ] && break
        sleep 0.1
    done
}

part() { [[ " $parts " == *" $1 "* ]]; }
if part 1; then
echo "== 1. two-member fleet upgrade: ender upgrade --dsn-file vs psql by hand in the safe order"
fleet_times=() hand_times=()
for i in $(seq 1 "$reps"); do
    pair "f$i"
    for port in $pub $sub; do
        db="f$i" q "$port" -c "SELECT ender_register(\$\$$(cat migrations/0.sql)\$\$)" -c "SELECT ender_stamp('r0')" >/dev/null
    done
    printf '%s\n%s\n' "$(dsn $pub "f$i")" "$(dsn $sub "f$i")" >fleet.txt
    t0=$(now)
    "$ender" --dir migrations upgrade --dsn-file fleet.txt >/dev/null
    fleet_times+=("$(echo "$(now) - $t0" | bc)")

    pair "h$i"
    t0=$(now)
    db="h$i" q $sub -c "$r1"
    db="h$i" q $pub -c "$r1"
    db="h$i" q $sub -c "$r2"
    db="h$i" q $pub -c "$r2"
    db="h$i" q $sub -c "ALTER SUBSCRIPTION s_h$i REFRESH PUBLICATION"
    db="h$i" q $pub -c "$r3"
    db="h$i" caught_up $pub "s_h$i"
    db="h$i" q $sub -c "$r3"
    hand_times+=("$(echo "$(now) - $t0" | bc)")
    for d in "f$i" "h$i"; do db=$d q $sub -c "DROP SUBSCRIPTION s_$d" >/dev/null 2>&1; done
done
f=$(printf '%s\n' "${fleet_times[@]}" | median)
h=$(printf '%s\n' "${hand_times[@]}" | median)
printf 'ender upgrade --dsn-file: median %.3f s (runs: %s)\n' "$f" "${fleet_times[*]}"
printf 'psql by hand, safe order: median %.3f s (runs: %s)\n' "$h" "${hand_times[*]}"
printf 'ratio ender / by hand: %.2f\n' "$(echo "$f / $h" | bc -l)"
fi
part 2 || exit 0

echo "== 2. a standby reader against the online executor (max_standby_streaming_delay = 2s)"
q $pub -c "CREATE EXTENSION IF NOT EXISTS ender" >/dev/null
as_pg "$bin/pg_basebackup" -h "$work" -p $pub -U postgres -D "$work/standby" -R -X stream
start standby $standby -c max_wal_senders=20 -c max_standby_streaming_delay=2s -c wal_receiver_status_interval=1s
q $pub >/dev/null <<'SQL'
CREATE TABLE item (id bigint PRIMARY KEY, qty integer NOT NULL);
INSERT INTO item SELECT g, g % 977 FROM generate_series(1, 200000) g;
VACUUM item;
SQL
sleep 1
conflicts() { q $standby -c "SELECT confl_lock || ' lock, ' || confl_snapshot || ' snapshot' FROM pg_stat_database_conflicts WHERE datname = 'postgres'"; }
# A reader on the standby that holds a snapshot and the table for $1 seconds.
reader() {
    q $standby -c "BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM item; SELECT pg_sleep($1); SELECT count(*) FROM item; COMMIT" \
        >"$work/reader.out" 2>&1 && echo finished || echo "cancelled: $(grep -o 'conflict with recovery' "$work/reader.out" | head -1)"
}
online() {  # id operation
    q $pub -c "SELECT ender_register(\$f\$-- ender:revision $1
-- ender:online $2
-- ender:upgrade
\$f\$)" >/dev/null
    q $pub -c "SET ender.backfill_batch_size = 2000; SET ender.backfill_pause = 0; SELECT ender_upgrade()" >/dev/null
}
for feedback in off on; do
    q $standby -c "ALTER SYSTEM SET hot_standby_feedback = $feedback" -c "SELECT pg_reload_conf()" >/dev/null
    sleep 1
    before=$(conflicts)
    # (a) a 6 s reader open when the expand step takes ACCESS EXCLUSIVE
    reader 6 >"$work/a.txt" &
    sleep 1
    t0=$(now)
    online "e_$feedback" "alter_column item qty type bigint using (qty::bigint) down (qty::integer)"
    lsn=$(q $pub -c "SELECT pg_current_wal_lsn()")
    until [ "$(q $standby -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ]; do sleep 0.05; done
    replay_wait=$(echo "$(now) - $t0" | bc)
    wait
    q $pub -c "CALL ender_wait('e_$feedback', '5 minutes')" >/dev/null
    # (b) a 6 s reader open during the backfill's last batches and a VACUUM of the table
    q $pub -c "SELECT ender_complete('e_$feedback')" >/dev/null
    online "b_$feedback" "alter_column item qty type numeric using (qty::numeric) down (qty::bigint)"
    sleep 0.5
    reader 6 >"$work/b.txt" &
    sleep 0.5
    q $pub -c "CALL ender_wait('b_$feedback', '5 minutes')" >/dev/null
    q $pub -c "VACUUM item" >/dev/null
    dead=$(q $pub -c "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'item'")
    wait
    q $pub -c "SELECT ender_complete('b_$feedback')" >/dev/null
    echo "hot_standby_feedback=$feedback: (a) reader across expand: $(cat "$work/a.txt"); standby replay of expand waited $(printf '%.1f' "$replay_wait") s"
    echo "hot_standby_feedback=$feedback: (b) reader during backfill + VACUUM: $(cat "$work/b.txt"); dead rows left by VACUUM: $dead"
    echo "hot_standby_feedback=$feedback: conflicts before $before, after $(conflicts)"
done
