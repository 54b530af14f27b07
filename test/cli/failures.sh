#!/usr/bin/env bash
# A command that says what failed: a failing revision's report (revision, statement, line,
# text; --json an error object on stdout) checked exactly, and its record in history (with
# durations); a database without the extension (--install-extension); SQLAlchemy URLs; test
# --scratch and its report of every phase; current at base.
source "$(dirname "$0")/lib.sh"
db=ender_cli_failures
noext=ender_cli_failures_noext
scratch_db "$db"
dropdb --if-exists "$noext" 2>/dev/null
createdb "$noext"
scratch_dbs+=("$noext")
cd "$work"
mkdir migrations
cat >migrations/n1_person.sql <<'SQL'
-- ender:revision n1
-- ender:message create person
-- ender:upgrade
CREATE TABLE person (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO person VALUES (1, 'Ada Lovelace'), (2, 'Grace Hopper');
-- ender:downgrade
DROP TABLE person;
SQL
cat >migrations/n2_nicknames.sql <<'SQL'
-- ender:revision n2
-- ender:parents n1
-- ender:message nicknames
-- ender:upgrade

ALTER TABLE person ADD COLUMN nickname varchar(5);
UPDATE person
   SET nickname = name;
CREATE INDEX person_nickname ON person (nickname);
-- ender:downgrade
ALTER TABLE person DROP COLUMN nickname;
SQL

echo "   current at base"
expect 0 current --dsn "dbname=$db"
same "$out" "revision  branch  message
--------  ------  -------------------
base              no revision applied"
expect 0 current --dsn "dbname=$db" --json
same "$out" "[]"

echo "   a failing revision: where, in text and in JSON, and in history"
expect 3 upgrade --dsn "dbname=$db"
same "$out" ""
same "$err" 'ender: error: value too long for type character varying(5)
CONTEXT:  upgrade of revision "n2" (nicknames), statement 2 of 3, line 7 of "migrations/n2_nicknames.sql":
    UPDATE person
       SET nickname = name
HINT:  Nothing was applied: it runs in one transaction. "ender history" records the failure.'
expect 3 upgrade --dsn "dbname=$db" --json
same "$out" '{
  "error": {
    "message": "value too long for type character varying(5)",
    "detail": null,
    "hint": "Nothing was applied: it runs in one transaction. \"ender history\" records the failure.",
    "sqlstate": "22001",
    "exit_code": 3,
    "operation": "upgrade",
    "revision": "n2",
    "revision_message": "nicknames",
    "statement": 2,
    "statements": 3,
    "file": "migrations/n2_nicknames.sql",
    "line": 7,
    "sql": "UPDATE person\n   SET nickname = name",
    "history_id": 2
  }
}'
has "ender: error: value too long for type character varying(5)" err
same "$(psql_q -d "$db" -c "SELECT count(*) FROM ender.applied")" 0
expect 0 history --dsn "dbname=$db" --json
same "$(json '[(r["id"], r["revision"], r["operation"], r["outcome"], r["error_sqlstate"]) for r in d]')" \
    "[(1, 'n2', 'upgrade', 'failed', '22001'), (2, 'n2', 'upgrade', 'failed', '22001')]"
same "$(json 'd[0]["error_context"].splitlines()[-1]')" 'upgrade SQL of ender revision "n2", statement 2 of 3 (line 2)'
expect 0 history --dsn "dbname=$db"
same "$(head -1 <<<"$out")" "id  revision  operation  stamped  outcome  started_at           duration  message    error_message"
grep -qE '^1   n2        upgrade    no       failed   [0-9-]+ [0-9:]+  [0-9.]+ ms +nicknames  value too long for type character varying\(5\)$' <<<"$out" ||
    { echo "FAIL: history row: $out"; failures=$((failures + 1)); }
# Fixed in the file, the pending revision is registered again and applied.
sed -i 's/varchar(5)/varchar(50)/' migrations/n2_nicknames.sql
expect 0 upgrade --dsn "dbname=$db"
same "$out" "applied n1  create person
applied n2  nicknames"
expect 0 history --dsn "dbname=$db" --json
same "$(json '[(r["revision"], r["outcome"]) for r in d]')" "[('n2', 'failed'), ('n2', 'failed'), ('n1', 'ok'), ('n2', 'ok')]"
same "$(json 'all(r["duration"].startswith("00:00:") for r in d)')" "True"
# A failing downgrade says where too, and is in history.
psql_q -d "$db" -c "ALTER TABLE person DROP COLUMN nickname"
expect 3 downgrade base --dsn "dbname=$db"
same "$err" 'ender: error: column "nickname" of relation "person" does not exist
CONTEXT:  downgrade of revision "n2" (nicknames), statement 1 of 1, line 11 of "migrations/n2_nicknames.sql":
    ALTER TABLE person DROP COLUMN nickname
HINT:  Nothing was undone: it runs in one transaction. "ender history" records the failure.'
expect 0 history --dsn "dbname=$db" --json
same "$(json '[(r["revision"], r["operation"], r["outcome"]) for r in d][-1]')" "('n2', 'downgrade', 'failed')"
psql_q -d "$db" -c "ALTER TABLE person ADD COLUMN nickname varchar(50)"
# Errors that are not a revision's: still a JSON object with --json, and the exit code.
expect 2 frobnicate --json
same "$(json '(d["error"]["message"], d["error"]["exit_code"], d["error"]["sqlstate"])')" "('unknown command \"frobnicate\"', 2, None)"
expect 3 upgrade nosuch --dsn "dbname=$db" --json
same "$(json '(d["error"]["sqlstate"], "revision" in d["error"])')" "('42704', False)"

echo "   a database without the extension"
expect 3 current --dsn "dbname=$noext"
same "$err" "ender: error: database \"$noext\" does not have the ender extension
DETAIL:  ender keeps its revisions, position and log in the database, through the extension.
HINT:  Run \"ender init --install-extension\" (or add --install-extension to \"ender upgrade\"), or have a superuser run CREATE EXTENSION ender; in that database."
expect 3 upgrade --dsn "dbname=$noext"
has "does not have the ender extension" err
createuser ender_cli_plain 2>/dev/null || true
psql_q -d "$noext" -c "ALTER ROLE ender_cli_plain PASSWORD 'plain'; GRANT CREATE ON DATABASE $noext TO ender_cli_plain"
PGPASSWORD=plain expect 3 init --install-extension --dsn "dbname=$noext user=ender_cli_plain"
has "ender: error: could not create the ender extension in database \"$noext\"" err
has 'DETAIL:  permission denied to create extension "ender"' err
has 'HINT:  ender is not a trusted extension: a superuser must run CREATE EXTENSION ender; in that database.' err
psql_q -d "$noext" -c "REVOKE CREATE ON DATABASE $noext FROM ender_cli_plain"
dropuser ender_cli_plain
expect 0 upgrade n1 --install-extension --dsn "postgresql+psycopg2:///$noext"
same "$err" "created extension ender in database \"$noext\""
same "$out" "applied n1  create person"
expect 0 init --install-extension --dsn "postgresql+asyncpg:///$noext?ssl=false"
has "exists  extension ender in database \"$noext\""

echo "   test --scratch, and a report of every phase"
expect 0 test --scratch ender_cli_failures_scratch --dsn "dbname=$db"
has 'test: on the scratch database "ender_cli_failures_scratch" (dropped after)'
has "test: passed (3 of 3 phases passed)"
same "$(psql_q -d "$db" -c "SELECT count(*) FROM pg_database WHERE datname = 'ender_cli_failures_scratch'")" 0
createdb ender_cli_failures_taken
scratch_dbs+=(ender_cli_failures_taken)
expect 3 test --scratch ender_cli_failures_taken --dsn "dbname=$db"
has 'ender: error: the scratch database "ender_cli_failures_taken" exists' err
expect 2 test --scratch 'no"quotes' --dsn "dbname=$db"
has 'invalid scratch database name' err
# The upgrade fails: the phases after it are reported as skipped.
sed -i 's/varchar(50)/varchar(5)/' migrations/n2_nicknames.sql
expect 3 test --dsn "dbname=$db"
has 'FAILED  upgrade to heads     0 revisions'
has '        value too long for type character varying(5) [upgrade of revision "n2", statement 2 of 3, line 7 of "migrations/n2_nicknames.sql"]'
has "SKIPPED downgrade to base: the upgrade to heads failed"
has "SKIPPED upgrade again: the upgrade to heads failed"
has "test: failed (0 of 3 phases passed, 1 failed, 2 skipped)"
expect 3 test --dsn "dbname=$db" --json
same "$(json '[p["outcome"] for p in d["phases"]]')" "['failed', 'skipped', 'skipped']"
# A downgrade that leaves a table: it fails, and the upgrade again still runs (and fails).
sed -i 's/varchar(5)/varchar(50)/; s/^ALTER TABLE person DROP COLUMN nickname;$/SELECT 1;/' migrations/n2_nicknames.sql
cat >migrations/n3_left.sql <<'SQL'
-- ender:revision n3
-- ender:parents n2
-- ender:message left behind
-- ender:upgrade
CREATE TABLE left_behind (id int);
-- ender:downgrade
SELECT 1;
SQL
expect 1 test --dsn "dbname=$db"
has "ok      upgrade to heads     3 revisions"
has "FAILED  downgrade to base    3 revisions"
has 'the schema is not the empty one: DROP TABLE "public"."left_behind"'
has "FAILED  upgrade again        0 revisions"
has 'relation "left_behind" already exists'
has "test: failed (1 of 3 phases passed, 2 failed, 0 skipped)"

finish failures
