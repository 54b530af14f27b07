#!/usr/bin/env bash
# ender.toml as TOML: errors naming the line; several databases ([databases.NAME], --db,
# ENDER_DB, dsn_env), each with its own migrations; revision ids and file names from
# revision_id and file_template.
source "$(dirname "$0")/lib.sh"
shop=ender_cli_config_shop audit=ender_cli_config_audit
scratch_db "$shop" "$audit"
cd "$work"
table_in() { psql_q -d "$1" -c "SELECT to_regclass('$2') IS NOT NULL"; }
revision() {  # revision DIR ID SQL
    mkdir -p "$1"
    printf -- '-- ender:revision %s\n-- ender:upgrade\n%s\n-- ender:downgrade\nSELECT 1;\n' "$2" "$3" >"$1/$2.sql"
}

echo "   malformed TOML, unknown keys and wrong types name the line"
printf 'dir = "migrations"\ndsn = postgresql\n' >ender.toml
expect 2 current
has 'malformed configuration file "ender.toml"' err
has "(line 2" err
printf 'dir = "migrations"\n\ndsnn = "x"\n' >ender.toml
expect 2 current
has 'unknown configuration key "dsnn"' err
has "line 3 of" err
printf 'exclude_alembic_version = 3\n' >ender.toml
expect 2 current
has "invalid value for exclude_alembic_version" err
printf '[databases.shop]\ndsn = "dbname=%s"\nport = "5"\n' "$shop" >ender.toml
expect 2 current
has 'unknown configuration key "port" in [databases.shop]' err
printf 'databases = "shop"\n' >ender.toml
expect 2 current
has '"databases" must be a table' err
printf '[databases]\nshop = "dbname=x"\n' >ender.toml
expect 2 current
has 'database "shop" must be a table' err
printf 'revision_id = 12\n' >ender.toml
expect 2 current
has 'configuration key "revision_id" needs a string' err

echo "   two databases, each its own migrations; --db or ENDER_DB chooses"
revision migrations/shop s1 "CREATE TABLE orders (id int);"
revision audits a1 "CREATE TABLE event (id int);"
cat >ender.toml <<TOML
exclude = ["legacy_*", "tmp.*"]

[databases.shop]
dsn = "dbname=$shop"

[databases.audit]
dsn_env = "AUDIT_URL"
dsn = "dbname=ender_no_such_database"
dir = "audits"
TOML
expect 2 upgrade
has "the configuration names several databases: choose one" err
has '"ender.toml" names: audit, shop.' err
has "Pass --db NAME (or set ENDER_DB)." err
expect 2 --db billing upgrade
has 'database "billing" is not in the configuration' err
expect 0 --db shop upgrade
same "$(table_in "$shop" orders)" t
same "$(table_in "$shop" event)" f
# audit's dsn names no database: AUDIT_URL wins over it when set.
AUDIT_URL="dbname=$audit" ENDER_DB=audit expect 0 upgrade
same "$(table_in "$audit" event)" t
same "$(table_in "$audit" orders)" f
ENDER_DSN="dbname=$shop" DATABASE_URL="dbname=$shop" AUDIT_URL="dbname=$audit" expect 0 --db audit current
has "a1" out
expect 3 --db audit current
has "ender_no_such_database" err
expect 0 --db shop --dsn "dbname=$audit" current
has "a1" out

echo "   one database table needs no --db; dsn_env unset and no dsn is refused"
printf '[databases.audit]\ndsn_env = "AUDIT_URL"\ndir = "audits"\n' >ender.toml
AUDIT_URL="dbname=$audit" expect 0 current
has "a1" out
expect 2 current
has 'database "audit" has no connection string' err
has "Set AUDIT_URL, or pass --dsn." err

echo "   a migrate program with one schema per database compares the chosen one"
cat >ender.toml <<TOML
[databases.shop]
dsn = "dbname=$shop"
[databases.audit]
dsn = "dbname=$audit"
dir = "audits"
[databases.billing]
dsn = "dbname=$shop"
dir = "billing"
TOML
program=$bin/per_database_migrate expect 0 --db audit revision --autogenerate -m "audit events"
grep -l "CREATE TABLE \"public\".\"audit_event\"" audits/*_audit_events.sql >/dev/null ||
    { echo "FAIL: audit's autogenerate: $(cat audits/*_audit_events.sql)"; failures=$((failures + 1)); }
grep -l "customer" audits/*.sql && { echo "FAIL: shop's models in audit's revision"; failures=$((failures + 1)); }
program=$bin/per_database_migrate expect 1 --db shop check
has "customer" out
program=$bin/per_database_migrate expect 2 --db billing check
has 'this program has no models for database "billing"' err
has "It has models for: audit, shop." err

echo "   revision ids and file names: sequence, timestamp, the template"
mkdir named
printf 'dir = "named"\nrevision_id = "sequence"\nfile_template = "%%(year)d_%%(month).2d-%%(rev)s_%%(slug)s"\n' >ender.toml
expect 0 revision -m "Add phone!"
expect 0 revision -m "drop fax"
ym=$(date -u +%Y_%m)
[ -f "named/${ym}-0001_add_phone.sql" ] || { echo "FAIL: $(ls named)"; failures=$((failures + 1)); }
[ -f "named/${ym}-0002_drop_fax.sql" ] || { echo "FAIL: $(ls named)"; failures=$((failures + 1)); }
grep -q "^-- ender:parents 0001$" "named/${ym}-0002_drop_fax.sql" || { echo "FAIL: 0002's parent"; failures=$((failures + 1)); }
printf 'dir = "named"\nrevision_id = "timestamp"\n' >ender.toml
expect 0 revision -m "third" --json
id=$(json 'd["revision"]')
[[ "$id" =~ ^20[0-9]{12}$ ]] || { echo "FAIL: timestamp id $id"; failures=$((failures + 1)); }
[ -f "named/${id}_third.sql" ] || { echo "FAIL: $(ls named)"; failures=$((failures + 1)); }
printf 'dir = "named"\nfile_template = "%%(slug)s"\n' >ender.toml
expect 2 revision -m "no id"
has "file_template has no %(rev)s" err
printf 'dir = "named"\nfile_template = "%%(rev)s_%%(branch)s"\n' >ender.toml
expect 2 revision -m "bad token"
has 'unknown token "%(branch)" in file_template' err
printf 'dir = "named"\nrevision_id = "uuid"\n' >ender.toml
expect 2 revision -m "bad id"
has 'invalid revision_id "uuid"' err
[ "$(ls named | wc -l)" = 3 ] || { echo "FAIL: a refused revision wrote a file: $(ls named)"; failures=$((failures + 1)); }

finish config
