#!/usr/bin/env bash
# The consumer test: installs libender (with ender::cli and the ender command) into a temporary prefix, then builds a program against
# it twice — with CMake's find_package(ender) and with pkg-config — and runs both. Needs a
# server (PG* variables, as inside pg_virtualenv).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# No optimisation: this checks what is installed and how it links, not speed (and an -O0 build
# of the library and the command takes a fraction of a Release one in make test's budget).
cmake -S . -B "$work/build" -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS=-O0 >/dev/null
cmake --build "$work/build" -j2 --target ender_client ender_cli >/dev/null
cmake --install "$work/build" --prefix "$work/prefix" >/dev/null
# The ender command is installed with the library.
"$work/prefix/bin/ender" --help | grep -q "^usage: ender"

cmake -S test/client/consumer -B "$work/consumer" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/consumer"
# The model-aware migrate program links the installed ender::cli and knows its models.
"$work/consumer/consumer_migrate" --help >"$work/migrate-help.txt"
grep -q "^usage: consumer_migrate" "$work/migrate-help.txt"
grep -q "This program knows the application's models" "$work/migrate-help.txt"

pc_dir=$(dirname "$(find "$work/prefix" -name ender.pc)")
PKG_CONFIG_PATH="$pc_dir" \
    g++ -Wall -Wextra -Werror test/client/consumer/main.cpp -o "$work/consumer-pc" \
    $(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs ender)
"$work/consumer-pc"
