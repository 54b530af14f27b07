#!/usr/bin/env bash
# The consumer test: installs libender (with ender::cli and the ender command) into a temporary prefix, then builds a program against
# it twice — with CMake's find_package(ender) and with pkg-config — and runs both. Needs a
# server (PG* variables, as inside pg_virtualenv).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The library and the command make test already built (build/cmake, under the sanitizers) are
# installed as they are: this checks what is installed and how it links, and building them again
# would cost minutes of make test's budget. So the consumers link the sanitizers' runtimes too.
build=${ENDER_BUILD_DIR:-build/cmake}
sanitize=-fsanitize=address,undefined
export ASAN_OPTIONS=detect_leaks=0
cmake --install "$build" --prefix "$work/prefix" >/dev/null
# The ender command is installed with the library.
"$work/prefix/bin/ender" --help | grep -q "^usage: ender"

cmake -S test/client/consumer -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" \
    -DCMAKE_EXE_LINKER_FLAGS="$sanitize" >/dev/null
cmake --build "$work/consumer" -j2 >/dev/null
"$work/consumer/consumer"
# The model-aware migrate program links the installed ender::cli and knows its models.
"$work/consumer/consumer_migrate" --help >"$work/migrate-help.txt"
grep -q "^usage: consumer_migrate" "$work/migrate-help.txt"
grep -q "This program knows the application's models" "$work/migrate-help.txt"

pc_dir=$(dirname "$(find "$work/prefix" -name ender.pc)")
PKG_CONFIG_PATH="$pc_dir" \
    g++ -Wall -Wextra -Werror "$sanitize" test/client/consumer/main.cpp -o "$work/consumer-pc" \
    $(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs ender)
"$work/consumer-pc"
