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

# online NAME DB USING: registers and starts an online type change of account.balance, in
# batches of 1,000 rows with 100 ms between them (20,000 rows: about two seconds).
online() {
    psql_q -d "$2" -c "CREATE TABLE account (id bigint PRIMARY KEY, balance integer NOT NULL);
        INSERT INTO account SELECT g, g % 1000 FROM generate_series(1, 20000) g;
        SELECT ender_register(\$f\$-- ender:revision $1
-- ender:online alter_column account balance type bigint using ($3) down ((balance / 100)::integer)
-- ender:upgrade
\$f\$);
        SET ender.backfill_batch_size = 1000; SET ender.backfill_pause = '300ms';
        SELECT ender_upgrade();" >/dev/null
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
online s1 "$db" "balance::bigint * 100"
expect 0 status --watch --interval 0.2 --dsn "$dsn"
has "s1 alter_column backfill "
has "s1 alter_column ready 20000/20000 rows (100.0%)"
lines=$(grep -c '^s1 alter_column backfill' <<<"$out" || true)
[ "$lines" -ge 3 ] || { echo "FAIL: $lines backfill lines, expected one per change: $out"; failures=$((failures + 1)); }
# Each line differs from the one before (a change), and rows_done never goes back.
same "$(uniq <<<"$out" | wc -l)" "$(wc -l <<<"$out")"
done_counts=$(sed -n 's/^s1 alter_column [a-z]* \([0-9]*\)\/.*/\1/p' <<<"$out")
same "$(sort -n <<<"$done_counts")" "$done_counts"
# The worker honours the whole pause between its 20 batches, however often its latch is set
# meanwhile (a backfill of 20,000 rows once finished in 0.4 s and --watch saw two lines).
paused=$(psql_q -d "$db" -c "SELECT ready_at - backfill_started_at >= interval '5.7 s'
    FROM ender.online_job WHERE revision_id = 's1'")
same "$paused" "t"

echo "   status once: the table, and --json"
expect 0 status --dsn "$dsn"
grep -q '^s1  *alter_column account balance type bigint .* ready  *20000  *20000  *100.0 ' <<<"$out" ||
    { echo "FAIL: no ready row for s1: $out"; failures=$((failures + 1)); }
expect 0 status --json --dsn "$dsn"
same "$(json 'd[0]["phase"], d[0]["rows_done"], d[0]["percent"]')" "ready 20000 100.0"

echo "   status --watch on a terminal: a bar redrawn in place; a failed job exits 1"
# The backfill divides by zero at row 15000: the job fails there.
online f1 "$bad" "balance::bigint * 100 / (id - 15000)"
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

finish status
