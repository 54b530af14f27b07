#!/usr/bin/env bash
# Coming from Alembic (docs/coming-from-alembic.md): an Alembic project (test/cli/alembic_project:
# two branches, a depends_on, their merge, data in SQL and data in Python) imported with
# "ender import alembic", applied by ender and by Alembic (Debian's python3-alembic) to two
# databases whose schemas must be equal; the Alembic one adopted with "stamp --from-alembic" and
# upgraded further; a SQLAlchemy DATABASE_URL; alembic_version left out of diff, check and
# autogenerate, and the exclude list.
source "$(dirname "$0")/lib.sh"
a=ender_cli_alembic_a   # migrated by Alembic, then adopted
e=ender_cli_alembic_e   # migrated by ender from the imported files
scratch_db "$a" "$e"
cp -r "$root/test/cli/alembic_project" "$work/project"
cd "$work/project"
alembic() { DATABASE_URL="postgresql+psycopg2:///$1" "$py" -m alembic "${@:2}"; }

echo "   import alembic: one file per revision, Alembic's offline SQL without its bookkeeping"
expect 0 import alembic --python "$py"
has "import: 7 Alembic revisions from alembic/versions (Alembic "
for f in 0f1e2d3c4b5a_create_account a1b2c3d4e5f6_add_orders b2c3d4e5f6a7_seed_plans \
    c3d4e5f6a7b8_order_plan d4e5f6a7b8c9_backfill_emails e5f6a7b8c9d0_merge_orders_and_billing \
    f6a7b8c9d0e1_account_status; do
    has "created migrations/$f.sql"
done
has "needs review: 1 section whose SQL Alembic's offline mode could not produce (Python code), written commented out:"
has "  d4e5f6a7b8c9 upgrade (backfill emails): AttributeError: 'NoneType' object has no attribute 'fetchall'"
header() { sed -n '/^-- ender:upgrade/q;p' "$1"; }
same "$(header migrations/c3d4e5f6a7b8_order_plan.sql | grep '^-- ender:' | tr '\n' '|')" \
    "-- ender:revision c3d4e5f6a7b8|-- ender:parents a1b2c3d4e5f6|-- ender:depends_on b2c3d4e5f6a7|-- ender:message order plan|"
same "$(header migrations/e5f6a7b8c9d0_merge_orders_and_billing.sql | grep '^-- ender:' | tr '\n' '|')" \
    "-- ender:revision e5f6a7b8c9d0|-- ender:parents c3d4e5f6a7b8, d4e5f6a7b8c9|-- ender:message merge orders and billing|"
same "$(grep '^-- ender:branch' migrations/*.sql | tr '\n' '|')" \
    "migrations/a1b2c3d4e5f6_add_orders.sql:-- ender:branch orders|migrations/b2c3d4e5f6a7_seed_plans.sql:-- ender:branch billing|"
same "$(grep -hv '^--' migrations/*.sql | grep -iE 'alembic_version|^BEGIN;|^COMMIT;')" ""
# The SQL data step is SQL; the Python one is commented out, with its code.
grep -qF "UPDATE plan SET price = price * 2 WHERE code = 'pro';" migrations/b2c3d4e5f6a7_seed_plans.sql ||
    { echo "FAIL: the SQL data step is missing"; failures=$((failures + 1)); }
out=$(sed -n '/^-- ender:upgrade/,/^-- ender:downgrade/p' migrations/d4e5f6a7b8c9_backfill_emails.sql)
has "-- NOT IMPORTED: Alembic's offline mode could not turn this upgrade into SQL:"
has "--   SELECT id, name FROM account WHERE email IS NULL;"
has "--       rows = conn.execute(sa.text(\"SELECT id, name FROM account WHERE email IS NULL\")).fetchall()"
same "$(grep -v '^--' <<<"$out" | grep -cv '^$')" 0
expect 0 import alembic --python "$py" --json
same "$(json '[r["status"] for r in d["revisions"]]')" "['kept', 'kept', 'kept', 'kept', 'kept', 'kept', 'kept']"
same "$(json '[(r["revision"], r["section"]) for r in d["needs_review"]]')" "[('d4e5f6a7b8c9', 'upgrade')]"
same "$(json '[r["revision"] for r in d["revisions"] if r["branch"]]')" "['b2c3d4e5f6a7', 'a1b2c3d4e5f6']"
expect 2 import flyway
has 'ender: error: unknown import source "flyway"' err
expect 2 import alembic --config nosuch.ini
has 'ender: error: Alembic configuration "nosuch.ini" does not exist' err
expect 2 import alembic --python /nonexistent/python3
has 'ender: error: no Python with Alembic was found' err

echo "   the same schema from ender's upgrade (a SQLAlchemy DATABASE_URL) and Alembic's"
alembic "$a" upgrade heads 2>alembic.err || { cat alembic.err; failures=$((failures + 1)); }
DATABASE_URL="postgresql+psycopg2:///$e" expect 0 upgrade heads
same "$(grep -c '^applied' <<<"$out")" 7
expect 0 diff --from "dbname=$e" --to "dbname=$a"
has "diff: no differences"
for q in "SELECT code, price, note FROM plan ORDER BY code" "SELECT id, name FROM account ORDER BY id"; do
    same "$(psql_q -d "$e" -c "$q")" "$(psql_q -d "$a" -c "$q")"
done
# The Python data step ran under Alembic only.
same "$(psql_q -d "$a" -c "SELECT count(email) FROM account")" 3
same "$(psql_q -d "$e" -c "SELECT count(email) FROM account")" 0
# Downgrades too: Alembic's and ender's leave the same schema.
alembic "$a" downgrade a1b2c3d4e5f6 2>alembic.err || { cat alembic.err; failures=$((failures + 1)); }
DATABASE_URL="postgresql+asyncpg:///$e?ssl=false" expect 0 downgrade a1b2c3d4e5f6
expect 0 diff --from "dbname=$e" --to "dbname=$a"
has "diff: no differences"
alembic "$a" upgrade heads 2>alembic.err || { cat alembic.err; failures=$((failures + 1)); }
expect 0 upgrade heads --dsn "postgresql+psycopg2:///$e"
expect 0 diff --from "dbname=$e" --to "dbname=$a"
has "diff: no differences"
expect 0 test --scratch ender_cli_alembic_roundtrip
has "test: passed (3 of 3 phases passed)"

echo "   alembic_version and the exclude list in diff, check and autogenerate"
printf 'exclude_alembic_version = "false"\n' >nox.toml
expect 1 diff --from "dbname=$e" --to "dbname=$a" --config nox.toml
has '"public"."alembic_version"'
psql_q -d "$a" -c "CREATE SCHEMA audit; CREATE TABLE audit.entry (id int); CREATE TABLE legacy_users (id int); CREATE TABLE legacy_roles (id int)"
psql_q -d "$e" -c "ALTER TABLE plan ADD COLUMN discount int"
expect 1 diff --from "dbname=$e" --to "dbname=$a"
has '"audit"."entry"'
has '"public"."legacy_users"'
has '"public"."plan"."discount"'
expect 0 diff --from "dbname=$e" --to "dbname=$a" --exclude 'audit.*, legacy_*, public.plan'
has "diff: no differences"
printf 'exclude = "audit.*, legacy_*"\n' >ender.toml
expect 1 diff --from "dbname=$e" --to "dbname=$a" --json
same "$(json '[s["object_name"] for s in d]')" "['\"public\".\"plan\".\"discount\"']"
expect 2 diff --from "dbname=$e" --to "dbname=$a" --exclude 'a.b.c'
has 'ender: error: invalid exclude pattern "a.b.c"' err
rm ender.toml
psql_q -d "$a" -c "DROP SCHEMA audit CASCADE; DROP TABLE legacy_users, legacy_roles"
psql_q -d "$e" -c "ALTER TABLE plan DROP COLUMN discount"

echo "   adopting the Alembic database: upgrade says to stamp; stamp --from-alembic"
expect 3 upgrade --dsn "dbname=$a"
has 'ender: error: type "account_kind" already exists' err
has 'CONTEXT:  upgrade of revision "0f1e2d3c4b5a" (create account), statement 1 of 6, line 7 of "migrations/0f1e2d3c4b5a_create_account.sql":' err
has "    CREATE TYPE account_kind AS ENUM ('person', 'company')" err
has 'HINT:  This database has an "alembic_version" table (at f6a7b8c9d0e1): Alembic migrated it. Run "ender stamp --from-alembic" to record that position without running anything (after "ender import alembic"), then upgrade.' err
expect 0 stamp --from-alembic --dsn "dbname=$a"
has 'stamp: alembic_version is at "f6a7b8c9d0e1"; ender records the same position (nothing was run)' err
has "current f6a7b8c9d0e1  account status"
expect 0 current --dsn "dbname=$a" --json
same "$(json '[r["revision"] for r in d]')" "['f6a7b8c9d0e1']"
# The models (here: the snapshot of the database ender migrated) match: alembic_version is
# not a difference to check or autogenerate.
psql_q -d "$e" -c "SELECT ender_snapshot()" >models.json
expect 0 check --snapshot models.json --dsn "dbname=$a"
has "check: the database matches the snapshot"
expect 0 revision --autogenerate --snapshot models.json --dsn "dbname=$a"
has "no changes: the database matches the snapshot"
expect 1 check --snapshot models.json --dsn "dbname=$a" --config nox.toml
has '"public"."alembic_version"'
# A new revision, applied by ender on top of Alembic's history.
cat >migrations/g1_phone.sql <<'SQL'
-- ender:revision g1
-- ender:parents f6a7b8c9d0e1
-- ender:message add phone
-- ender:upgrade
ALTER TABLE account ADD COLUMN phone text;
-- ender:downgrade
ALTER TABLE account DROP COLUMN phone;
SQL
expect 0 upgrade --dsn "dbname=$a"
same "$out" "applied g1  add phone"
same "$(psql_q -d "$a" -c "SELECT count(*) FROM information_schema.columns WHERE table_name = 'account' AND column_name = 'phone'")" 1
expect 1 stamp --from-alembic --dsn "dbname=$e"
has 'ender: error: database "ender_cli_alembic_e" has no alembic_version table' err
psql_q -d "$e" -c "CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('0f1e2d3c4b5a'), ('zzz')"
expect 1 stamp --from-alembic --dsn "dbname=$e"
has 'ender: error: alembic_version names revision "zzz", which no migration file has' err
has 'HINT:  Convert the Alembic history first (the ids stay the same): ender import alembic.' err

echo "   import: the Python found on its own, a downgrade in Python, an id ender refuses"
cp -r "$root/test/cli/alembic_project" "$work/p2"
cd "$work/p2"
cat >alembic/versions/9a9a9a9a9a9a_python_downgrade.py <<'PY'
"""python downgrade

Revision ID: 9a9a9a9a9a9a
Revises: f6a7b8c9d0e1
"""
from alembic import op
import sqlalchemy as sa

revision = "9a9a9a9a9a9a"
down_revision = "f6a7b8c9d0e1"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("COMMENT ON TABLE account IS 'accounts'")


def downgrade():
    for (n,) in op.get_bind().execute(sa.text("SELECT 1")).fetchall():
        pass
PY
# A python3 first on PATH without Alembic: the next candidate (/usr/bin/python3) is used.
mkdir fakebin
printf '#!/bin/sh\nexit 1\n' >fakebin/python3
chmod +x fakebin/python3
PATH="$PWD/fakebin:$PATH" expect 0 import alembic --dir m
has "import: 8 Alembic revisions"
has ", /usr/bin/python3) into m"
has "needs review: 2 sections whose SQL"
has "  9a9a9a9a9a9a downgrade (python downgrade): AttributeError: 'NoneType' object has no attribute 'fetchall'"
out=$(cat m/9a9a9a9a9a9a_python_downgrade.sql)
has "-- No downgrade section: it cannot be undone until one is written."
has "COMMENT ON TABLE account IS 'accounts';"
lacks "-- ender:downgrade"
sed -i 's/^revision = "9a9a9a9a9a9a"$/revision = "9a9a-bad"/; s/^Revision ID: 9a9a9a9a9a9a$/Revision ID: 9a9a-bad/' \
    alembic/versions/9a9a9a9a9a9a_python_downgrade.py
expect 1 import alembic --python "$py" --dir m3
has "ender: error: Alembic could not read the project: alembic.util.exc.CommandError: Character(s) '-' not allowed in revision identifier '9a9a-bad'" err
sed -i 's/9a9a-bad/9a9a.bad/' alembic/versions/9a9a9a9a9a9a_python_downgrade.py
expect 1 import alembic --python "$py" --dir m3
has 'In Alembic revision "9a9a.bad"' err
has "HINT:  ender ids and branch labels are 1 to 64 letters, digits and underscores: rename the revision in Alembic first." err
[ ! -e m3 ] || { echo "FAIL: files were written for a refused import"; failures=$((failures + 1)); }

finish alembic
