#!/usr/bin/env bash
# ender --version: the command's version and the extension version it expects, both the one
# in ender.control; a warning (and the verb still run) when the database's extension is older.
source "$(dirname "$0")/lib.sh"
db=ender_cli_version
scratch_db "$db"
cd "$work"
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" "$root/ender.control")

echo "   --version"
expect 0 --version
same "$out" "ender $version
expects the ender extension $version"
program=$bin/workflow_migrate expect 0 --version
has "workflow_migrate $version"

echo "   the database's extension"
expect 0 current --dsn "dbname=$db"
lacks "warning" err
oldest=$(psql_q -d "$db" -c "SELECT min(version COLLATE \"C\") FROM pg_available_extension_versions WHERE name = 'ender'")
if [ "$oldest" != "$version" ]; then
    psql_q -d "$db" -c "DROP EXTENSION ender; CREATE EXTENSION ender VERSION '$oldest'"
    expect 0 current --dsn "dbname=$db"
    has "ender: warning: the database's ender extension is version $oldest, older than the $version this command expects" err
    has "HINT:  Run ALTER EXTENSION ender UPDATE in the database (as its owner)." err
    has "revision  branch  message"
    psql_q -d "$db" -c "ALTER EXTENSION ender UPDATE"
    expect 0 current --dsn "dbname=$db"
    lacks "warning" err
else
    echo "FAIL: no older version of the extension is installed"
    failures=$((failures + 1))
fi

echo "   a database without the extension: the check says nothing, the verb reports what is missing"
plain=ender_cli_version_plain
dropdb --if-exists "$plain" 2>/dev/null
createdb "$plain"
scratch_dbs+=("$plain")
expect 3 current --dsn "dbname=$plain"
lacks "warning" err
lacks "rows of" err
has "does not have the ender extension" err
finish version
