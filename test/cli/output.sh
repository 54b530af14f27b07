#!/usr/bin/env bash
# Colour only on a terminal, and never with NO_COLOR; the model-aware program's usage;
# --verbose shows every statement on stderr.
source "$(dirname "$0")/lib.sh"
db=ender_cli_output
scratch_db "$db"
cd "$work"
esc=$'\033['
# on_tty ENV... -- ARGS: runs ender under a pseudo-terminal; its output in $out.
on_tty() {
    script -qec "env $* '$ender' current --dsn dbname=$db" /dev/null >tty.out 2>&1 || true
    out=$(tr -d '\r' <tty.out)
}

echo "   colour"
on_tty TERM=xterm
has "${esc}1mrevision  branch  message${esc}0m"
on_tty TERM=xterm NO_COLOR=1
lacks "$esc"
has "revision  branch  message"
on_tty TERM=dumb
lacks "$esc"
expect 0 current --dsn "dbname=$db"   # a pipe
lacks "$esc"
script -qec "TERM=xterm '$ender' show nosuch --dsn dbname=$db" /dev/null >tty.out 2>&1 || true
out=$(tr -d '\r' <tty.out)
has "ender: ${esc}1;31merror:${esc}0m"
expect 3 show nosuch --dsn "dbname=$db"
has "ender: error: " err

echo "   the model-aware program"
program=$bin/workflow_migrate expect 0 --help
has "usage: workflow_migrate [options] <command>"
has "This program knows the application's models"
expect 0 --help
has "check and revision --autogenerate need the models"
program=$bin/workflow_migrate expect 2 frobnicate
has 'HINT:  Commands: init, revision' err

echo "   --verbose"
expect 0 current --verbose --dsn "dbname=$db"
has "ms, 1 row: SELECT coalesce(json_agg(t), '[]')::text FROM (SELECT r.id AS revision" err
expect 0 current --dsn "dbname=$db"
lacks "ms, 0 rows" err

finish output
