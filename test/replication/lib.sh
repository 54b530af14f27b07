# Clusters of a replication test or benchmark: initdb in a temporary directory, unix sockets
# only, wal_level=logical; removed on exit. Source it; then `cluster NAME PORT [options]`,
# `q PORT [psql args]`, `dsn PORT`, `fail MESSAGE`.
bin=$(pg_config --bindir)
work=$(mktemp -d)
chmod 755 "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"
clusters=()
stop_all() {
    [ -n "${writer:-}" ] && kill "$writer" 2>/dev/null || true
    for n in "${clusters[@]}"; do as_pg "$bin/pg_ctl" -D "$work/$n" -m immediate stop >/dev/null 2>&1 || true; done
}
trap 'stop_all; rm -rf "$work"' EXIT
fail() {
    echo "FAIL: $*" >&2
    for n in "${clusters[@]}"; do echo "--- $n.log" >&2; tail -15 "$work/$n.log" >&2; done
    exit 1
}
base_port=$((20000 + RANDOM % 20000))
start() {  # name port [server options]: starts an existing data directory
    as_pg "$bin/pg_ctl" -D "$work/$1" -l "$work/$1.log" -w \
        -o "-p $2 -k $work -c listen_addresses='' -c wal_level=logical -c wal_retrieve_retry_interval=500ms ${*:3}" \
        start >/dev/null
    clusters+=("$1")
}
cluster() {  # name port [server options]: initdb, then start
    as_pg "$bin/initdb" -D "$work/$1" -A trust -U postgres >/dev/null
    start "$@"
}
dsn() { echo "host=$work port=$1 dbname=${2:-postgres} user=postgres"; }
q() { local port=$1; shift; "$bin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -d "$(dsn "$port" "${db:-postgres}")" "$@"; }
# Waits until the subscription `slot` on the publisher at `port` has confirmed the
# publisher's current LSN.
caught_up() {  # port slot
    local lsn
    lsn=$(q "$1" -c "SELECT pg_current_wal_lsn()")
    until_true "$1" "SELECT confirmed_flush_lsn >= '$lsn' FROM pg_replication_slots WHERE slot_name = '$2'" ||
        fail "slot $2 did not catch up"
}
# until_true PORT SQL: polls until SQL returns t; false after 5 minutes (a stuck test, not a
# slow machine).
until_true() {
    local deadline=$((SECONDS + 300))
    until [ "$(q "$1" -c "$2")" = t ]; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.1
    done
}
