#!/usr/bin/env bash
# The locks of the statements that cannot run in a transaction block (pg_regress hazard_locks
# checks the others): CREATE INDEX CONCURRENTLY and DROP INDEX CONCURRENTLY are held up by a
# reader of the table; while they wait, pg_locks shows what they hold on the table and the index
# (SHARE UPDATE EXCLUSIVE at most), an application INSERT goes through, and ender_hazards names
# no lock word for them. Runs inside pg_virtualenv (test/online/run.sh).
set -euo pipefail

db=ender_online_concurrent_locks
cleanup() {
    psql -X -q -d "$db" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name IN ('gate', 'reader', 'ddl')" >/dev/null 2>&1 || true
    wait 2>/dev/null || true
    dropdb --if-exists "$db"
}
trap cleanup EXIT
q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
same() { [ "$1" == "$2" ] || fail "expected \"$2\", got \"$1\" ($3)"; }
wait_for() {  # until the query returns t
    for _ in $(seq 1 500); do
        [ "$(q -c "$1")" = t ] && return
        sleep 0.02
    done
    fail "gave up waiting: $1"
}

dropdb --if-exists "$db"; createdb "$db"
q >/dev/null <<'SQL'
CREATE EXTENSION ender;
CREATE TABLE account (id bigint PRIMARY KEY, balance integer NOT NULL DEFAULT 0);
INSERT INTO account SELECT g, g FROM generate_series(1, 1000) g;
CREATE INDEX account_balance ON account (balance);
SQL

# Runs `ddl` while a reader holds the table (its transaction waits on an advisory lock a gate
# session holds); prints the strongest lock it holds on each relation of the table, then lets
# the reader go and waits for the statement to end.
locks_while_waiting() {
    local ddl=$1
    PGAPPNAME=gate psql -X -q -d "$db" -c "SELECT pg_advisory_lock(77), pg_sleep(600)" >/dev/null 2>&1 &
    wait_for "SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory' AND objid = 77 AND granted)"
    PGAPPNAME=reader psql -X -q -d "$db" -c "BEGIN; SELECT count(*) FROM account; SELECT pg_advisory_xact_lock(77); COMMIT;" >/dev/null 2>&1 &
    wait_for "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'reader' AND wait_event_type = 'Lock')"
    PGAPPNAME=ddl psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "$ddl" >/dev/null &
    local ddl_job=$!
    wait_for "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE application_name = 'ddl' AND wait_event_type = 'Lock')"
    q -c "SELECT string_agg(c.relname || ' ' || l.mode, ', ' ORDER BY c.relname, l.mode)
            FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
            JOIN pg_stat_activity a ON a.pid = l.pid AND a.application_name = 'ddl'
           WHERE l.granted AND c.relname LIKE 'account%'"
    # An application write goes through while the statement waits.
    q -c "INSERT INTO account VALUES (100000 + (SELECT count(*) FROM account), 1)" >/dev/null
    [ "$(q -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ddl' AND state = 'active'")" = 1 ] ||
        fail "$ddl ended before the write, which proves nothing"
    q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'gate'" >/dev/null
    wait "$ddl_job" || fail "$ddl failed"
    wait
}

echo "   CREATE INDEX CONCURRENTLY"
same "$(locks_while_waiting "CREATE INDEX CONCURRENTLY account_id_balance ON account (id, balance)")" \
    "account ShareUpdateExclusiveLock" "locks of CREATE INDEX CONCURRENTLY"
same "$(q -c "SELECT indisvalid FROM pg_index WHERE indexrelid = 'account_id_balance'::regclass")" t "index built"

echo "   DROP INDEX CONCURRENTLY"
same "$(locks_while_waiting "DROP INDEX CONCURRENTLY account_balance")" \
    "account ShareUpdateExclusiveLock, account_balance ShareUpdateExclusiveLock" "locks of DROP INDEX CONCURRENTLY"
same "$(q -c "SELECT to_regclass('account_balance') IS NULL")" t "index dropped"
same "$(q -c "SELECT count(*) FROM account WHERE id > 100000")" 2 "the writes made while the statements waited"

# ender_hazards: neither takes a lock an application statement waits for.
same "$(q -c "SELECT string_agg(array_to_string(hazards, ','), ' | ' ORDER BY statement) FROM ender_hazards(\$\$
CREATE INDEX CONCURRENTLY account_x ON account (balance);
DROP INDEX CONCURRENTLY account_x\$\$)")" "builds_index | " "ender_hazards of the concurrent forms"
echo "   ok"
