#!/usr/bin/env bash
# make test-deb: installs the packages make deb built (build/deb/) on this machine, checks what
# each holds, and runs the demo against the installed files only: the extension from
# postgresql-15-ender, /usr/bin/ender, and the examples' programs built out of the tree against
# libender-dev's CMake package; then the update from 0.1 through the installed scripts
# (test/upgrade/catalog.sh). Afterwards it removes the packages and installs the tree's own
# extension again (make install-extension; ENDER_TEST_DEB_RESTORE=no leaves it out).
# Needs root. The installed extension is shared by everyone on the machine: hold
# /tmp/ender-install.lock around this script there (flock /tmp/ender-install.lock make test-deb).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
say() { printf '%s  [%ds]\n' "$1" "$SECONDS"; }
fail() { echo "test-deb: $*" >&2; exit 1; }
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" ender.control)
deb_version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
packages=(postgresql-15-ender libender-dev ender)
debs=()
for p in "${packages[@]}"; do
    f=build/deb/${p}_${deb_version}_${arch}.deb
    [ -f "$f" ] || fail "$f is missing: run make deb first"
    debs+=("./$f")
done
work=$(mktemp -d)
cleanup() {
    rm -rf "$work"
    dpkg -r "${packages[@]}" >/dev/null 2>&1 || true
    if [ "${ENDER_TEST_DEB_RESTORE:-yes}" != no ]; then make -s install-extension >/dev/null; fi
}
trap cleanup EXIT

say "== installing ${packages[*]} $deb_version"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --reinstall --no-install-recommends "${debs[@]}" >"$work/apt.log" 2>&1 ||
    { cat "$work/apt.log"; fail "the packages do not install"; }
for p in "${packages[@]}"; do
    [ "$(dpkg-query -W -f='${Version}' "$p")" = "$deb_version" ] || fail "$p $deb_version is not installed"
done

# What each package holds.
holds() {
    dpkg -L "$1" | grep -x -- "$2" >/dev/null || fail "$1 does not hold $2"
}
ext=/usr/share/postgresql/15/extension
holds postgresql-15-ender /usr/lib/postgresql/15/lib/ender.so
for f in ender.control "ender--$version.sql" ender--0.1.sql ender--0.1--0.2.sql; do
    holds postgresql-15-ender "$ext/$f"
done
holds ender /usr/bin/ender
holds libender-dev /usr/include/ender/ender.hpp
holds libender-dev /usr/include/ender/cli.hpp
holds libender-dev "/usr/lib/$multiarch/libender.a"
holds libender-dev "/usr/lib/$multiarch/libender-cli.a"
holds libender-dev "/usr/lib/$multiarch/cmake/ender/ender-config.cmake"
holds libender-dev "/usr/lib/$multiarch/pkgconfig/ender.pc"
dpkg -L postgresql-15-ender | grep '/usr/lib/postgresql/15/lib/bitcode' >/dev/null && fail "postgresql-15-ender holds JIT bitcode"
[ "$(/usr/bin/ender --version)" = "ender $version
expects the ender extension $version" ] || fail "/usr/bin/ender --version: $(/usr/bin/ender --version)"
# The system's pkg-config directories only (not /usr/local, where make install puts ender.pc).
pc_version=$(PKG_CONFIG_LIBDIR=/usr/lib/$multiarch/pkgconfig:/usr/share/pkgconfig pkg-config --modversion ender)
[ "$pc_version" = "$version" ] || fail "pkg-config --modversion ender: $pc_version"
echo "   the packages hold the extension ($version and every older script), the command, headers, libraries, CMake package and ender.pc"

say "== the examples' programs, built against libender-dev's CMake package"
mkdir -p "$work/examples"
cat >"$work/examples/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(ender_examples LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(ender $version REQUIRED)
add_executable(heroes_app $root/examples/heroes/app.cpp)
target_link_libraries(heroes_app PRIVATE ender::client)
add_executable(workflow_migrate $root/examples/workflow/migrate.cpp)
target_link_libraries(workflow_migrate PRIVATE ender::cli)
add_executable(workflow_migrate_v2 $root/examples/workflow/migrate.cpp)
target_compile_definitions(workflow_migrate_v2 PRIVATE MODELS_V2)
target_link_libraries(workflow_migrate_v2 PRIVATE ender::cli)
CMAKE
cmake -S "$work/examples" -B "$work/build" -DCMAKE_BUILD_TYPE=Release \
    -Dender_DIR="/usr/lib/$multiarch/cmake/ender" >"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; fail "configure"; }
grep -q "/usr/lib/$multiarch/cmake/ender" "$work/build/CMakeCache.txt" || fail "the examples did not find the installed package"
cmake --build "$work/build" -j"$(nproc)" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "the examples do not build against libender-dev"; }

say "== the demo against the installed files (a private cluster)"
cat >"$work/demo.sh" <<SH
set -euo pipefail
ENDER_HEROES_APP="$work/build/heroes_app" ENDER_DEMO_DB=deb_heroes "$root/examples/heroes/run.sh" >"$work/heroes.log"
tail -1 "$work/heroes.log"
ENDER_BUILD="$work/build" ENDER_DEMO_DB=deb_workflow "$root/examples/workflow/run.sh" >"$work/workflow.log" ||
    { tail -30 "$work/workflow.log"; exit 1; }
tail -1 "$work/workflow.log"
# The installed command on the heroes database.
/usr/bin/ender current --dsn dbname=deb_heroes >"$work/current.txt"
grep -q e2f7a0c9d4b6 "$work/current.txt" || { cat "$work/current.txt"; exit 1; }
echo "   /usr/bin/ender current: e2f7a0c9d4b6"
# The update path from 0.1, through the installed scripts.
bash "$root/test/upgrade/catalog.sh" 2>&1 | grep -v '^NOTICE:'
SH
# Only the system's directories on PATH (no /usr/local, where make install puts its ender), for
# the demo alone: dpkg needs /usr/sbin.
PATH=/usr/bin:/bin pg_virtualenv -t -v 15 bash "$work/demo.sh" || fail "the demo against the installed packages failed"

say "== removing the packages"
dpkg -r "${packages[@]}" >/dev/null
for f in /usr/bin/ender "$ext/ender.control" /usr/lib/postgresql/15/lib/ender.so "/usr/lib/$multiarch/libender.a"; do
    [ ! -e "$f" ] || fail "$f is still there after dpkg -r"
done
say "== test-deb: all passed"
