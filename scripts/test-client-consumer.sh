#!/usr/bin/env bash
# The consumer test: `make install` into a temporary root (DESTDIR): the extension's files and,
# under PREFIX, libender (with ender::cli and the ender command); then builds a program against
# it twice — with CMake's find_package(ender) and with pkg-config — and runs both; then `make
# uninstall` leaves no file behind. Needs a server (PG* variables, as inside pg_virtualenv).
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
root="$work/root"
make -s install DESTDIR="$root" PREFIX=/usr/local ENDER_CLIENT_BUILD="$build" >/dev/null
prefix="$root/usr/local"
# The ender command is installed with the library, and knows its version.
help=$("$prefix/bin/ender" --help)
grep -q "^usage: ender" <<<"$help"
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" ender.control)
version_text=$("$prefix/bin/ender" --version)
[ "${version_text%%$'\n'*}" = "ender $version" ]
# The extension's files, every version's scripts among them.
pg_config=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
sharedir=$root$("$pg_config" --sharedir)/extension
for f in ender.control "ender--$version.sql" ender--0.1.sql ender--0.1--0.2.sql; do
    [ -f "$sharedir/$f" ] || { echo "make install did not install $f"; exit 1; }
done
[ -f "$root$("$pg_config" --pkglibdir)/ender.so" ] || { echo "make install did not install ender.so"; exit 1; }

cmake -S test/client/consumer -B "$work/consumer" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_EXE_LINKER_FLAGS="$sanitize" >/dev/null
cmake --build "$work/consumer" -j2 >/dev/null
"$work/consumer/consumer"
# The model-aware migrate program links the installed ender::cli and knows its models.
"$work/consumer/consumer_migrate" --help >"$work/migrate-help.txt"
grep -q "^usage: consumer_migrate" "$work/migrate-help.txt"
grep -q "This program knows the application's models" "$work/migrate-help.txt"
# ender_embed_migrations compiled the migration file in, byte for byte.
"$work/consumer/consumer_embedded" >"$work/embedded.txt"
{ echo 0001_notes.sql; cat test/client/consumer/migrations/0001_notes.sql; } | cmp - "$work/embedded.txt"

pc_dir=$(dirname "$(find "$prefix" -name ender.pc)")
PKG_CONFIG_PATH="$pc_dir" \
    g++ -Wall -Wextra -Werror "$sanitize" test/client/consumer/main.cpp -o "$work/consumer-pc" \
    $(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs ender)
"$work/consumer-pc"
[ "$(PKG_CONFIG_PATH="$pc_dir" pkg-config --modversion ender)" = "$version" ]

make -s uninstall DESTDIR="$root" PREFIX=/usr/local >/dev/null
left=$(find "$root" -type f -o -type l)
[ -z "$left" ] || { echo "make uninstall left files behind:"; echo "$left"; exit 1; }
