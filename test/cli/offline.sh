#!/usr/bin/env bash
# sql upgrade/downgrade (offline SQL, checked against what upgrade and downgrade execute),
# history -r, stamp after a hand-run script, and test (the round trip on a scratch database).
source "$(dirname "$0")/lib.sh"
db=ender_cli_offline      # migrated by ender upgrade
db2=ender_cli_offline2    # migrated by the printed SQL
scratch_db "$db" "$db2"
cd "$work"
mkdir migrations
# A root, a function whose body holds semicolons, two branches and their merge; the last
# statement of r1's upgrade has no semicolon.
cat >migrations/a1_create.sql <<'SQL'
-- ender:revision r1
-- ender:message create item
-- ender:upgrade
CREATE TABLE item (id int PRIMARY KEY, name text);
CREATE FUNCTION item_count() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    RETURN (SELECT count(*) FROM item);
END;
$$
-- ender:downgrade
DROP FUNCTION item_count();
DROP TABLE item;
SQL
cat >migrations/b1_left.sql <<'SQL'
-- ender:revision r2
-- ender:parents r1
-- ender:message add price
-- ender:upgrade
ALTER TABLE item ADD price numeric(10,2) NOT NULL DEFAULT 0;
-- ender:downgrade
ALTER TABLE item DROP price;
SQL
cat >migrations/b2_right.sql <<'SQL'
-- ender:revision r3
-- ender:parents r1
-- ender:message index names
-- ender:upgrade
CREATE INDEX item_name ON item (name);
-- ender:downgrade
DROP INDEX item_name;
SQL
cat >migrations/c1_merge.sql <<'SQL'
-- ender:revision r4
-- ender:parents r2, r3
-- ender:message merge
-- ender:upgrade
COMMENT ON TABLE item IS 'things';
-- ender:downgrade
COMMENT ON TABLE item IS NULL;
SQL

echo "   sql upgrade equals what upgrade executes"
expect 0 sql upgrade --dsn "host=/nonexistent-socket-dir"   # offline: no connection
has "BEGIN;"
has "COMMIT;"
has "-- upgrade r1: create item"
same "$(grep -c '^-- upgrade r' <<<"$out")" 4
echo "$out" >up.sql
psql -X -q -v ON_ERROR_STOP=1 -d "$db2" -f up.sql
expect 0 upgrade --dsn "dbname=$db"
same "$(grep -o 'applied r[0-9]' <<<"$out" | tr '\n' ' ')" "$(grep -o '^-- upgrade r[0-9]' up.sql | sed 's/-- upgrade/applied/' | tr '\n' ' ')"
expect 0 diff --from "dbname=$db2" --to "dbname=$db"
has "diff: no differences"
same "$(psql_q -d "$db2" -c "SELECT item_count()")" 0
expect 0 sql upgrade r2:r4
has "-- upgrade r3: index names"
has "-- upgrade r4: merge"
lacks "-- upgrade r2"
lacks "-- upgrade r1"
expect 0 sql upgrade r1 --json
same "$(json '[r["revision"] for r in d]')" "['r1']"

echo "   sql downgrade equals what downgrade executes"
expect 0 sql downgrade heads:r1
same "$(grep -o '^-- downgrade r[0-9]' <<<"$out" | tr '\n' ' ')" "-- downgrade r4 -- downgrade r3 -- downgrade r2 "
psql -X -q -v ON_ERROR_STOP=1 -d "$db2" -f - <<<"$out"
expect 0 downgrade r1 --dsn "dbname=$db"
expect 0 diff --from "dbname=$db2" --to "dbname=$db"
expect 0 sql downgrade r1:base
psql -X -q -v ON_ERROR_STOP=1 -d "$db2" -f - <<<"$out"
same "$(psql_q -d "$db2" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" 0

echo "   stamp after a hand-run script registers the files"
expect 0 sql upgrade heads
psql -X -q -v ON_ERROR_STOP=1 -d "$db2" -f - <<<"$out"
expect 0 stamp heads --dsn "dbname=$db2"
has "current r4"
expect 0 upgrade --dsn "dbname=$db2"
has "nothing to do"

echo "   sql errors"
expect 2 sql
has '"sql" needs an argument' err
expect 2 sql sideways
has 'unknown direction "sideways" for "sql"' err
expect 2 sql downgrade base
has '"sql downgrade" needs a range A:B' err
expect 2 sql upgrade nosuchrev
has "ender: error:" err
has "nosuchrev" err
# Two heads and target head: the refusal ender_upgrade gives, before any SQL is printed.
cp migrations/c1_merge.sql merge.keep
rm migrations/c1_merge.sql
expect 2 sql upgrade
has "r2" err
has "r3" err
same "$out" ""
cp merge.keep migrations/c1_merge.sql
cp migrations/a1_create.sql a1.keep
sed -i '/-- ender:downgrade/,$d' migrations/a1_create.sql
expect 1 sql downgrade heads:base
has 'revision "r1" cannot be undone' err
cp a1.keep migrations/a1_create.sql

echo "   history -r"
expect 0 upgrade heads --dsn "dbname=$db"
expect 0 history -r r2:r4 --dsn "dbname=$db" --json
same "$(json 'sorted(set(r["revision"] for r in d))')" "['r3', 'r4']"
expect 0 history -r :r1 --dsn "dbname=$db" --json
same "$(json 'sorted(set(r["revision"] for r in d))')" "['r1']"
expect 0 history -r r1: --dsn "dbname=$db"
has "r4"
lacks "r1  "
expect 2 history -r r1 --dsn "dbname=$db"
has 'invalid range "r1" for -r' err
expect 3 history -r nosuch:r4 --dsn "dbname=$db"

echo "   test: the round trip on a scratch database"
expect 0 test --dsn "dbname=$db"
has "ok      upgrade to heads     4 revisions"
has "ok      downgrade to base    4 revisions"
has "ok      upgrade again        4 revisions"
has "test: passed"
same "$(psql_q -d "$db" -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'ender_test_%'")" 0
expect 0 test --dsn "dbname=$db" --json
same "$(json '[p["outcome"] for p in d["phases"]]')" "['ok', 'ok', 'ok']"
# A downgrade that forgets something: the schema after base is not the empty one.
sed -i 's/^DROP FUNCTION item_count();$/SELECT 1;/' migrations/a1_create.sql
expect 1 test --dsn "dbname=$db"
has "FAILED  downgrade to base"
has 'the schema is not the empty one: DROP FUNCTION'
has "test: failed"
cp a1.keep migrations/a1_create.sql
# A failing migration: the database error, exit 3, and still no scratch database left.
sed -i 's/^COMMENT ON TABLE item IS .things.;$/COMMENT ON TABLE nosuch IS NULL;/' migrations/c1_merge.sql
expect 3 test --dsn "dbname=$db"
has "FAILED  upgrade to heads"
has 'relation "nosuch" does not exist'
same "$(psql_q -d "$db" -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'ender_test_%'")" 0
expect 3 test --dsn "host=/nonexistent-socket-dir"
has "could not connect" err

finish offline
