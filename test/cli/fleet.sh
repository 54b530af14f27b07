#!/usr/bin/env bash
# upgrade --dsn-file --jobs: 20 databases, one of which fails; the others are upgraded, the
# failure is reported, the exit code says so.
source "$(dirname "$0")/lib.sh"
cd "$work"
mkdir migrations
cat >migrations/a_widget.sql <<'SQL'
-- ender:revision w1
-- ender:message create widget
-- ender:upgrade
CREATE TABLE widget (id int PRIMARY KEY);
-- ender:downgrade
DROP TABLE widget;
SQL
cat >migrations/b_name.sql <<'SQL'
-- ender:revision w2
-- ender:parents w1
-- ender:message add name
-- ender:upgrade
ALTER TABLE widget ADD name text;
-- ender:downgrade
ALTER TABLE widget DROP name;
SQL
{
    echo "# the fleet: one DSN per line"
    for i in $(seq -w 1 20); do
        scratch_db "ender_cli_fleet_$i"
        echo "dbname=ender_cli_fleet_$i"
        [ "$i" = 10 ] && echo
    done
} >fleet.txt
# Database 07 already has a widget table: its upgrade fails.
psql_q -d ender_cli_fleet_07 -c "CREATE TABLE widget (id int)"

echo "   20 databases, one failing"
expect 3 upgrade --dsn-file fleet.txt --jobs 4
has "upgraded 19 of 20 databases; 1 failed"
has "dbname=ender_cli_fleet_07  failed   0"
has 'relation "widget" already exists'
has "dbname=ender_cli_fleet_20  ok       2"
lacks "upgrading:"   # no progress line when stderr is not a terminal
lacks "upgrading:" err
for i in $(seq -w 1 20); do
    n=$(psql_q -d "ender_cli_fleet_$i" -c "SELECT count(*) FROM ender.applied")
    if [ "$i" = 07 ]; then same "$n" 0; else same "$n" 2; fi
done
same "$(psql_q -d ender_cli_fleet_07 -c "SELECT count(*) FROM information_schema.columns WHERE table_name = 'widget'")" 1
expect 3 upgrade --dsn-file fleet.txt --jobs 8 --json
is_json
same "$(json '[(r["database"], r["outcome"]) for r in d if r["outcome"] != "ok"]')" "[('dbname=ender_cli_fleet_07', 'failed')]"
same "$(json 'sum(len(r["applied"]) for r in d)')" 0
psql_q -d ender_cli_fleet_07 -c "DROP TABLE widget"
expect 0 upgrade --dsn-file fleet.txt --jobs 3
has "upgraded 20 of 20 databases"
has "dbname=ender_cli_fleet_07  ok       2"

echo "   progress on a terminal, passwords hidden"
printf 'dbname=ender_cli_fleet_01\nhost=/nonexistent-socket-dir password=sesame\npostgresql://u:sesame@/x?host=/nonexistent-socket-dir\n' >few.txt
script -qec "NO_COLOR=1 '$ender' upgrade --dsn-file few.txt --jobs 2" /dev/null >tty.out || true
out=$(tr -d '\r' <tty.out)
has "upgrading: 3/3 done, 2 failed"
has "password=***"
has "postgresql://u:***@"
lacks "sesame"

echo "   errors"
expect 2 upgrade --dsn-file fleet.txt --dsn "dbname=x"
has "--dsn and --dsn-file cannot be used together" err
expect 2 upgrade --dsn-file fleet.txt --jobs 0
has 'invalid value "0" for --jobs' err
echo "# nothing" >empty.txt
expect 2 upgrade --dsn-file empty.txt
has 'DSN file "empty.txt" lists no database' err
expect 3 upgrade --dsn-file nowhere.txt
has 'could not read file "nowhere.txt"' err

finish fleet
