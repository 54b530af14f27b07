#!/usr/bin/env bash
# The server stops with `pg_ctl stop -m immediate` mid-backfill and starts again: the first
# ender_wait (through ender_resume) starts a worker, the job resumes from the last committed
# batch, and every row ends in step, none counted twice or missed. Uses a cluster of its own
# (initdb in a temporary directory, unix socket only), since it stops the server.
set -euo pipefail

bin=$(pg_config --bindir)
work=$(mktemp -d)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$work"
stop() { as_pg "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; }
trap 'stop; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; tail -20 "$work/log" >&2; exit 1; }
port=$((20000 + RANDOM % 20000))
start() {
    as_pg "$bin/pg_ctl" -D "$work/data" -l "$work/log" -w \
        -o "-p $port -k $work -c listen_addresses=''" start >/dev/null
}
as_pg "$bin/initdb" -D "$work/data" -A trust -U postgres >/dev/null
start
export PGHOST=$work PGPORT=$port PGUSER=postgres PGDATABASE=postgres
q() { "$bin/psql" -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }
rows=200000

q >/dev/null <<SQL
CREATE EXTENSION ender;
CREATE TABLE item (id bigint PRIMARY KEY, qty integer NOT NULL);
INSERT INTO item SELECT g, g % 977 FROM generate_series(1, $rows) g;
CHECKPOINT;
SELECT ender_register(\$file\$-- ender:revision rs1
-- ender:online alter_column item qty type bigint using (qty::bigint * 3) down ((qty / 3)::integer)
-- ender:upgrade
\$file\$);
SET ender.backfill_batch_size = 1000;
SET ender.backfill_pause = '1min';
SELECT ender_upgrade();
SQL

# After its first batch the worker pauses for a minute (the longest ender.backfill_pause): the
# server stops in that pause, and the job then takes 10 ms pauses.
for _ in $(seq 1 6000); do
    [ "$(q -c "SELECT batches >= 1 FROM ender.online_job")" = t ] && break
    sleep 0.05
done
q -c "UPDATE ender.online_job SET batch_pause_ms = 10" >/dev/null
as_pg "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null
start
at=$(q -c "SELECT rows_done FROM ender.online_job")
[ "$at" -ge 1000 ] && [ "$at" -lt "$rows" ] || fail "$at rows done when the server stopped, expected a batch or a few"
[ "$(q -c "CALL ender_wait('rs1', '5 minutes')")" = ready ] || fail "job not ready after the restart"
read -r done_rows batches <<<"$(q -F ' ' -c "SELECT rows_done, batches FROM ender.online_job")"
[ "$done_rows" = "$rows" ] || fail "rows_done is $done_rows after the restart, expected $rows"
[ "$batches" = $((rows / 1000)) ] || fail "$batches batches, expected $((rows / 1000))"
bad=$(q -c "SELECT count(*) FROM item WHERE _ender_new_qty IS DISTINCT FROM qty::bigint * 3")
[ "$bad" = 0 ] || fail "$bad rows out of step after the restart"
q -c "SELECT ender_complete('rs1')" >/dev/null
[ "$(q -c "SELECT count(*) FROM item WHERE qty <> (id % 977) * 3")" = 0 ] || fail "wrong values after complete"
echo "   server stopped (-m immediate) at $at of $rows rows: resumed, $done_rows rows in $batches batches: ok"
