# Shared by the test/cli/*.sh files (sourced): the ender binary, a scratch directory, and
# assertions that count failures. Each file ends with `finish NAME`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ender=$(realpath "${ENDER:-$root/build/cmake/ender}")
bin=$(dirname "$ender")
py=/usr/bin/python3
work=$(mktemp -d)
scratch_dbs=()
cleanup() {
    cd /
    rm -rf "$work"
    for d in "${scratch_dbs[@]}"; do dropdb --if-exists "$d" 2>/dev/null || true; done
}
trap cleanup EXIT
export ASAN_OPTIONS=detect_leaks=0
unset ENDER_DSN DATABASE_URL
psql_q() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"; }

failures=0
# scratch_db NAME...: fresh databases with the extension, dropped at exit.
scratch_db() {
    local d
    for d in "$@"; do
        dropdb --if-exists "$d" 2>/dev/null
        createdb "$d"
        psql_q -d "$d" -c "CREATE EXTENSION ender"
        scratch_dbs+=("$d")
    done
}
# expect CODE ARGS...: runs ender ARGS, keeps stdout in $out and stderr in $err, and checks
# the exit code.
expect() {
    local want=$1 rc=0
    shift
    "${program:-$ender}" "$@" >"$work/out" 2>"$work/err" || rc=$?
    out=$(cat "$work/out")
    err=$(cat "$work/err")
    if [ "$rc" != "$want" ]; then
        echo "FAIL: $(basename "${program:-$ender}") $* exited $rc, expected $want"
        echo "  stdout: $out"
        echo "  stderr: $err"
        failures=$((failures + 1))
    fi
}
# has TEXT WHERE: $WHERE (out or err) contains TEXT.
has() {
    local text=$1 where=${2:-out}
    if ! grep -qF -- "$text" <<<"${!where}"; then
        echo "FAIL: expected \"$text\" in $where of the last command"
        echo "  $where: ${!where}"
        failures=$((failures + 1))
    fi
}
lacks() {
    local text=$1 where=${2:-out}
    if grep -qF -- "$text" <<<"${!where}"; then
        echo "FAIL: did not expect \"$text\" in $where of the last command"
        failures=$((failures + 1))
    fi
}
is_json() {
    "$py" -c 'import json,sys; json.load(sys.stdin)' <<<"$out" ||
        { echo "FAIL: not JSON: $out"; failures=$((failures + 1)); }
}
json() { "$py" -c "import json,sys; d=json.load(sys.stdin); print($1)" <<<"$out"; }
same() {
    if [ "$1" != "$2" ]; then
        echo "FAIL: expected \"$2\", got \"$1\""
        failures=$((failures + 1))
    fi
}

# finish NAME: the summary line, and the exit status.
finish() {
    if [ "$failures" -ne 0 ]; then
        echo "test/cli/$1: $failures failure(s)"
        exit 1
    fi
    echo "   test/cli/$1: all passed"
}
