#!/usr/bin/env bash
# status: the online revisions in progress, once (table, --json) and followed with --watch
# until they end — one line per change when not on a terminal, a progress bar redrawn in place
# on one (script(1) gives it a terminal) — on a real online revision slowed down with
# ender.backfill_pause; exit 1 when a job failed.
source "$(dirname "$0")/lib.sh"
db=ender_cli_status
bad=ender_cli_status_failing
scratch_db "$db" "$bad"
dsn="dbname=$db"

# online NAME DB USING PAUSE: registers and starts an online type change of account.balance, in
# batches of 1,000 rows with PAUSE between them.
online() {
    psql_q -d "$2" -c "CREATE TABLE account (id bigint PRIMARY KEY, balance integer NOT NULL);
        INSERT INTO account SELECT g, g % 1000 FROM generate_series(1, 20000) g;
        SELECT ender_register(\$f\$-- ender:revision $1
-- ender:online alter_column account balance type bigint using ($3) down ((balance / 100)::integer)
-- ender:upgrade
\$f\$);
        SET ender.backfill_batch_size = 1000; SET ender.backfill_pause = '$4';
        SELECT ender_upgrade();" >/dev/null
}
# until_true DB SQL: polls until SQL returns t; fails the test after five minutes.
until_true() {
    local deadline=$((SECONDS + 300))
    until [ "$(psql_q -d "$1" -c "$2")" = t ]; do
        [ "$SECONDS" -lt "$deadline" ] || { echo "FAIL: waited five minutes for: $2"; exit 1; }
        sleep 0.05
    done
}
# step DB: the worker of the job in DB, in its minute-long pause, runs its next batch: a session
# holds the job's row while pg_reload_conf() sets the worker's latch, which ends the pause (as
# ender_rollback does); the worker queues for the row, and the session ends.
step() {
    local batches
    batches=$(psql_q -d "$1" -c "SELECT batches FROM ender.online_job")
    PGAPPNAME=stepper psql -X -q -d "$1" -c "BEGIN" -c "SELECT FROM ender.online_job FOR UPDATE" \
        -c "SELECT pg_reload_conf()" -c "SELECT pg_sleep(3600)" >/dev/null 2>&1 &
    local stepper=$!
    until_true "$1" "SELECT count(*) = 1 FROM pg_stat_activity
        WHERE application_name = 'stepper' AND query = 'SELECT pg_sleep(3600)'"
    # Looks every 2 ms: the worker may queue for the row 50 ms at a time (ender.lock_timeout).
    psql_q -d "$1" -c "DO \$\$
    DECLARE deadline timestamptz := clock_timestamp() + interval '5 min';
    BEGIN
        LOOP
            PERFORM pg_stat_clear_snapshot();
            EXIT WHEN EXISTS (SELECT FROM pg_stat_activity w, pg_stat_activity s
                               WHERE w.backend_type = 'ender online worker' AND s.application_name = 'stepper'
                                 AND s.pid = ANY (pg_blocking_pids(w.pid)));
            IF clock_timestamp() > deadline THEN
                RAISE EXCEPTION 'the worker never queued for the job row';
            END IF;
            PERFORM pg_sleep(0.002);
        END LOOP;
    END \$\$" >/dev/null || exit 1
    psql_q -d "$1" -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'stepper'" >/dev/null
    wait "$stepper" 2>/dev/null || true
    until_true "$1" "SELECT batches > $batches OR phase <> 'backfill' FROM ender.online_job"
}
# watched TEXT: until the running status --watch has printed a line with TEXT.
watched() {
    local deadline=$((SECONDS + 300))
    until grep -qsF -- "$1" "$work/watch"; do
        [ "$SECONDS" -lt "$deadline" ] || { echo "FAIL: status --watch never printed \"$1\": $(cat "$work/watch")"; exit 1; }
        sleep 0.05
    done
}

echo "   status with nothing in progress, and its usage errors"
expect 0 status --dsn "$dsn"
has "no online revision in progress"
expect 0 status --watch --dsn "$dsn"
has "no online revision in progress"
expect 2 status --interval 1 --dsn "$dsn"
has "--interval applies to status --watch only" err
expect 2 status --watch --interval 0 --dsn "$dsn"
has 'invalid interval "0"' err

echo "   status --watch, not on a terminal: a line per change until ready"
# The worker pauses a minute after each batch (the longest ender.backfill_pause) and is let
# through one batch at a time once --watch has printed the last one: three changes seen,
# however slow the machine.
online s1 "$db" "balance::bigint * 100" 1min
rc=0
"$ender" status --watch --interval 0.2 --dsn "$dsn" >"$work/watch" 2>"$work/watch.err" & watch=$!
watched "s1 alter_column backfill 1000/20000 rows"
step "$db"
watched "s1 alter_column backfill 2000/20000 rows"
step "$db"
watched "s1 alter_column backfill 3000/20000 rows"
# The rest without pauses.
psql_q -d "$db" -c "UPDATE ender.online_job SET batch_pause_ms = 0" >/dev/null
step "$db"
wait "$watch" || rc=$?
same "$rc" 0
out=$(cat "$work/watch")
has "s1 alter_column backfill "
has "s1 alter_column ready 20000/20000 rows (100.0%)"
lines=$(grep -c '^s1 alter_column backfill' <<<"$out" || true)
[ "$lines" -ge 3 ] || { echo "FAIL: $lines backfill lines, expected one per change: $out"; failures=$((failures + 1)); }
# Each line differs from the one before (a change), and rows_done never goes back.
same "$(uniq <<<"$out" | wc -l)" "$(wc -l <<<"$out")"
done_counts=$(sed -n 's/^s1 alter_column [a-z]* \([0-9]*\)\/.*/\1/p' <<<"$out")
same "$(sort -n <<<"$done_counts")" "$done_counts"

echo "   status once: the table, and --json"
expect 0 status --dsn "$dsn"
grep -q '^s1  *alter_column account balance type bigint .* ready  *20000  *20000  *100.0 ' <<<"$out" ||
    { echo "FAIL: no ready row for s1: $out"; failures=$((failures + 1)); }
expect 0 status --json --dsn "$dsn"
same "$(json 'd[0]["phase"], d[0]["rows_done"], d[0]["percent"]')" "ready 20000 100.0"

echo "   status --watch on a terminal: a bar redrawn in place; a failed job exits 1"
# The backfill divides by zero at row 15000: the job fails there.
online f1 "$bad" "balance::bigint * 100 / (id - 15000)" 300ms
rc=0
script -qec "$ender status --watch --interval 0.2 --dsn dbname=$bad" /dev/null >"$work/tty" 2>&1 || rc=$?
same "$rc" 1
tty_out=$(cat "$work/tty")
has $'\e[2Kf1  ' tty_out           # each drawing clears the line first...
has $'\e[1F' tty_out              # ...after going back up over the last one
has "/20000 rows" tty_out
has "division by zero" tty_out
grep -q '\[#\{1,\}\.*\]' "$work/tty" || { echo "FAIL: no progress bar drawn: $tty_out"; failures=$((failures + 1)); }
expect 1 status --watch --json --dsn "dbname=$bad"
same "$(json 'd["phase"], d["revision"]')" "failed f1"
# The worker honours the whole pause after each of the 14 batches before the failing one,
# however often its latch is set meanwhile (a backfill of 20,000 rows in 20 batches 300 ms
# apart once finished in 0.4 s).
paused=$(psql_q -d "$bad" -c "SELECT last_error_at - backfill_started_at >= interval '4 s'
    FROM ender.online_job WHERE revision_id = 'f1'")
same "$paused" "t"

finish status
