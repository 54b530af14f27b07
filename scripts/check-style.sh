#!/usr/bin/env bash
# The enforced style (make style; make test runs it): every tracked C++ file as .clang-format
# formats it, and .clang-tidy's checks clean on the engine, the glue, the client library and
# the ender command. Usage: scripts/check-style.sh [build dir with compile_commands.json]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/check}

files=$(git ls-files '*.cpp' '*.hpp')
if ! clang-format --dry-run --Werror $files 2>build/format.log; then
    grep -E "error:" build/format.log | head -20
    echo "check-style: $(grep -c 'error:' build/format.log) lines differ from .clang-format; run 'make format'" >&2
    exit 1
fi
echo "check-style: $(echo "$files" | wc -l) C++ files formatted as .clang-format says"

if [ ! -f "$build/compile_commands.json" ]; then
    cmake -S . -B "$build" -DENDER_BUILD_TESTS=ON >/dev/null
fi
# The sources of the engine, the client library and the command (headers through them).
if ! run-clang-tidy-14 -p "$build" -j "$(nproc)" -quiet -extra-arg=-Wno-unknown-warning-option \
        'extension/src/engine/.*\.cpp$' 'client/src/.*\.cpp$' 'client/cli/.*\.cpp$' \
        >build/clang-tidy.log 2>&1; then
    grep -E "error:|warning:" build/clang-tidy.log | sort -u | head -40
    echo "check-style: clang-tidy found problems (build/clang-tidy.log)" >&2
    exit 1
fi
# The glue (built by PGXS, so not in compile_commands.json): with the server's headers.
pg_config=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
if ! ls extension/src/glue/*.cpp | xargs -P "$(nproc)" -I{} clang-tidy-14 --quiet {} -- -std=c++20 \
        -isystem "$($pg_config --includedir-server)" -isystem "$($pg_config --includedir)/internal" \
        -Iextension/src >build/clang-tidy-glue.log 2>&1; then
    grep -E "error:|warning:" build/clang-tidy-glue.log | sort -u | head -40
    echo "check-style: clang-tidy found problems in the glue (build/clang-tidy-glue.log)" >&2
    exit 1
fi
echo "check-style: clang-tidy clean on the engine, the glue, the client library and the command"
