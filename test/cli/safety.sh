#!/usr/bin/env bash
# The safety net before an upgrade: --plan lists every pending statement with its hazards and
# asks on a terminal (--yes for scripts; no terminal and no --yes: refused); --backup DIR takes a
# pg_dump first, and a failed backup upgrades nothing.
source "$(dirname "$0")/lib.sh"
db=ender_cli_safety
scratch_db "$db"
cd "$work"
dsn="dbname=$db"
mkdir migrations
cat >migrations/s1.sql <<'SQL'
-- ender:revision s1
-- ender:message create team
-- ender:upgrade
CREATE TABLE team (id bigint PRIMARY KEY, name text);
INSERT INTO team VALUES (1, 'a');
-- ender:downgrade
DROP TABLE team;
SQL
cat >migrations/s2.sql <<'SQL'
-- ender:revision s2
-- ender:parents s1
-- ender:message tighten team
-- ender:upgrade
ALTER TABLE team ALTER COLUMN name SET NOT NULL;
ALTER TABLE team DROP COLUMN name;
CREATE INDEX team_id ON team (id);
-- ender:downgrade
DROP INDEX team_id;
ALTER TABLE team ADD COLUMN name text;
SQL
applied() { psql_q -d "$db" -c "SELECT string_agg(revision_id, ',' ORDER BY seq) FROM ender.applied"; }

echo "   upgrade --plan"
expect 2 upgrade --plan --dsn "$dsn" </dev/null      # no terminal, no --yes
has "there is no terminal to ask on" err
[ "$(applied)" = "" ] || { echo "FAIL: applied without confirmation"; failures=$((failures + 1)); }
expect 2 upgrade --yes --dsn "$dsn"
has "it needs --plan" err
expect 0 upgrade --plan --json --dsn "$dsn"         # --json without --yes: the plan alone
has '"applying": false'
has '"takes_access_exclusive"'
[ "$(applied)" = "" ] || { echo "FAIL: --json --plan applied"; failures=$((failures + 1)); }
expect 0 upgrade s1 --plan --yes --dsn "$dsn"
has "s1  create team"
has "1 revision, 2 statements; no hazard"
[ "$(applied)" = "s1" ] || { echo "FAIL: --yes did not apply s1: $(applied)"; failures=$((failures + 1)); }

# On a terminal: the plan, then the question; "n" changes nothing, "y" applies.
printf 'n\n' | script -qec "'$ender' upgrade --plan --dsn $dsn" /dev/null >tty.out 2>&1 || true
out=$(tr -d '\r' <tty.out)
has "s2  tighten team"
has "2. ALTER TABLE team DROP COLUMN name"
has "takes_access_exclusive, deletes_data"
has "1 revision, 3 statements; hazards: blocks_writes (1) builds_index (1) can_fail_on_existing_rows (1) deletes_data (1) takes_access_exclusive (2)"
has 'Apply 1 revision to database "ender_cli_safety"? [y/N]'
has "nothing applied"
[ "$(applied)" = "s1" ] || { echo "FAIL: answering n applied: $(applied)"; failures=$((failures + 1)); }

echo "   upgrade --backup"
mkdir fakebin
printf '#!/bin/sh\necho "pg_dump: error: connection to server failed" >&2\nexit 1\n' >fakebin/pg_dump
chmod +x fakebin/pg_dump
PATH="$work/fakebin:$PATH" expect 3 upgrade --backup "$work/backups" --dsn "$dsn"
has 'could not back up database "ender_cli_safety" before the upgrade' err
has "Nothing was upgraded." err
[ "$(applied)" = "s1" ] || { echo "FAIL: upgraded after a failed backup: $(applied)"; failures=$((failures + 1)); }
expect 0 upgrade --backup "$work/backups" --dsn "$dsn"
has "backup: $work/backups/ender_cli_safety-" err
[ "$(applied)" = "s1,s2" ] || { echo "FAIL: not upgraded after the backup: $(applied)"; failures=$((failures + 1)); }
dump=$(ls "$work"/backups/*.dump)
pg_restore --list "$dump" | grep "TABLE DATA public team" >/dev/null ||
    { echo "FAIL: the backup has no data of team"; failures=$((failures + 1)); }
# The backup is the database before the upgrade: team still has its name column there.
pg_restore --schema-only -f - "$dump" | grep "name text" >/dev/null ||
    { echo "FAIL: the backup is not the database before the upgrade"; failures=$((failures + 1)); }

echo "   answering yes on a terminal"
cat >migrations/s3.sql <<'SQL'
-- ender:revision s3
-- ender:parents s2
-- ender:message grant
-- ender:upgrade
GRANT SELECT ON team TO PUBLIC;
-- ender:downgrade
REVOKE SELECT ON team FROM PUBLIC;
SQL
printf 'y\n' | script -qec "'$ender' upgrade --plan --dsn $dsn" /dev/null >tty.out 2>&1 || true
out=$(tr -d '\r' <tty.out)
has "changes_authorization"
[ "$(applied)" = "s1,s2,s3" ] || { echo "FAIL: answering y did not apply s3: $(applied)"; failures=$((failures + 1)); }
expect 0 upgrade --plan --dsn "$dsn" </dev/null
has "nothing to upgrade"

echo "   a progress line on a terminal"
for n in 4 5 6; do
    printf -- "-- ender:revision s%s\n-- ender:parents s%s\n-- ender:message step %s\n-- ender:upgrade\nSELECT pg_sleep(0.05);\n-- ender:downgrade\nSELECT 1;\n" \
        "$n" "$((n - 1))" "$n" >"migrations/s$n.sql"
done
script -qec "'$ender' upgrade --dsn $dsn" /dev/null >tty.out 2>&1 || true
out=$(tr -d '\r' <tty.out)
has "[1/3] applying s4  step 4"
has "[3/3] applying s6  step 6"
[ "$(applied)" = "s1,s2,s3,s4,s5,s6" ] || { echo "FAIL: progress upgrade applied $(applied)"; failures=$((failures + 1)); }

finish safety
