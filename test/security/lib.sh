# Shared by the attack scripts of test/security: a cluster of their own (initdb in a temporary
# directory, trust authentication over a unix socket, so each script logs in as the role it
# plays), its server log, and assertions. docs/security.md is the threat model they check.
set -euo pipefail

bin=$(pg_config --bindir)
work=$(mktemp -d)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"
stop() { as_pg "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; }
trap 'stop; rm -rf "$work"' EXIT
log="$work/log"
fail() { echo "FAIL: $*" >&2; tail -30 "$log" >&2; exit 1; }
port=$((20000 + RANDOM % 20000))
as_pg "$bin/initdb" -D "$work/data" -A trust -U postgres >/dev/null
as_pg "$bin/pg_ctl" -D "$work/data" -l "$log" -w \
    -o "-p $port -k $work -c listen_addresses='' -c max_worker_processes=16" start >/dev/null
export PGHOST=$work PGPORT=$port PGDATABASE=postgres
unset PGPASSWORD PGSERVICE

# as ROLE [psql args]: a session logged in as ROLE; q: as the installing superuser.
as() { local role=$1; shift; "$bin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -U "$role" "$@"; }
q() { as postgres "$@"; }
same() { [ "$1" == "$2" ] || fail "expected \"$2\", got \"$1\" ($3)"; }
# refused SQLSTATE ROLE SQL: the statement fails with SQLSTATE (and prints nothing else).
refused() {
    local code=$1 role=$2 sql=$3 got
    got=$(as "$role" -v VERBOSITY=sqlstate -c "$sql" 2>&1 >/dev/null || true)
    [[ "$got" == *"$code"* ]] || fail "$role: expected SQLSTATE $code from: $sql; got: $got"
}
superuser() { q -c "SELECT rolsuper FROM pg_roles WHERE rolname = '$1'"; }
# wait_for SQL VALUE: polls (as the superuser) until SQL returns VALUE; fails after 5 minutes,
# which only a stuck test reaches, however loaded the machine.
wait_for() {
    local deadline=$((SECONDS + 300))
    until [ "$(q -c "$1")" == "$2" ]; do
        [ "$SECONDS" -lt "$deadline" ] || fail "waited 5 minutes for \"$1\" to return \"$2\", got \"$(q -c "$1")\""
        sleep 0.02
    done
}

# The cast: the superuser installs ender; "deployer" deploys (ender_admin, LOGIN, owns the
# application's tables); "other_deployer" too, but owns nothing of deployer's; "app" is an
# application role (reads and writes its table, nothing more); the canary sequence counts
# every run of SQL that must never run.
q >/dev/null <<'SQL'
CREATE EXTENSION ender;
CREATE ROLE deployer LOGIN IN ROLE ender_admin;
CREATE ROLE other_deployer LOGIN IN ROLE ender_admin;
CREATE ROLE app LOGIN;
CREATE SEQUENCE public.canary;
GRANT USAGE, SELECT ON SEQUENCE public.canary TO PUBLIC;
GRANT CREATE ON SCHEMA public TO deployer, other_deployer;
GRANT CREATE ON DATABASE postgres TO deployer, other_deployer;
SQL
canary() { q -c "SELECT last_value || ':' || is_called::text FROM public.canary"; }
untouched="1:false"
