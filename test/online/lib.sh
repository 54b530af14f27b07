# Shared by the test/online scripts (sourced once $db is set): psql on $db, assertions, and
# synchronisation by state, never by time: wait_for polls until a query returns a value (5
# minutes at most, which only a stuck test reaches), hold keeps a session at a known point
# (a lock or a snapshot taken) until release ends it, and wait_attempts waits until a session
# has queued for a lock a given number of separate times.
set -euo pipefail

q() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$db" "$@"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
same() { [ "$1" == "$2" ] || fail "expected \"$2\", got \"$1\" ($3)"; }
now_ms() { date +%s%3N; }
patience=300  # seconds: the overall limit of every wait below

# wait_for SQL VALUE [WHAT]: polls, one transaction per look, until SQL returns VALUE.
wait_for() {
    local deadline=$((SECONDS + patience)) got=
    while :; do
        got=$(q -c "$1" 2>&1) || true
        [ "$got" == "$2" ] && return 0
        [ "$SECONDS" -lt "$deadline" ] ||
            fail "waited $patience s for \"$1\" to return \"$2\", got \"$got\"${3:+ ($3)}"
        sleep 0.05
    done
}

# hold NAME SQL...: a session named NAME (its application_name) runs BEGIN and then each SQL,
# and stays in that transaction, holding what they took (locks, a snapshot), until release
# NAME. Returns once every SQL has run.
declare -A held=()
hold() {
    local name=$1 args=(-c BEGIN) s
    shift
    for s in "$@"; do args+=(-c "$s"); done
    PGAPPNAME=$name psql -X -q -d "$db" "${args[@]}" -c "SELECT pg_sleep(3600)" >/dev/null 2>&1 &
    held[$name]=$!
    wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$name'
              AND query = 'SELECT pg_sleep(3600)' AND state = 'active'" 1 "session $name holding"
}
# release NAME: ends the session of hold NAME; its transaction, locks and snapshot go with it.
release() {
    q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '$1'" >/dev/null
    wait "${held[$1]}" 2>/dev/null || true
    unset "held[$1]"
    wait_for "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$1'" 0 "session $1 gone"
}
release_all() {
    local name
    for name in "${!held[@]}"; do release "$name" || true; done
}

# wait_attempts PID_SQL N: waits until the session whose pid PID_SQL returns has queued for a
# lock (pg_blocking_pids not empty) in N separate attempts. Behind a session that holds the
# lock until it is released, N attempts seen mean N - 1 that failed and were retried.
wait_attempts() {
    q -c "DO \$\$
DECLARE
    seen int := 0;
    was boolean := false;
    blocked boolean;
    deadline timestamptz := clock_timestamp() + interval '$patience seconds';
BEGIN
    LOOP
        PERFORM pg_stat_clear_snapshot();  -- pg_stat_activity afresh at every look
        blocked := coalesce(cardinality(pg_blocking_pids(($1))) > 0, false);
        IF blocked AND NOT was THEN
            seen := seen + 1;
        END IF;
        was := blocked;
        EXIT WHEN seen >= $2;
        IF clock_timestamp() > deadline THEN
            RAISE EXCEPTION 'saw % of % lock attempts of the session of: %', seen, $2, \$q\$$1\$q\$;
        END IF;
        PERFORM pg_sleep(0.002);
    END LOOP;
END \$\$" >/dev/null
}
