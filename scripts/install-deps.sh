#!/usr/bin/env bash
# Installs what ender needs from Debian's packages, when it is missing. Idempotent and quick
# when everything is there; needs root (or sudo) only when something must be installed.
# `install-deps.sh deb` adds what make deb needs (debhelper, pg_buildext's dh integration).
set -euo pipefail

packages=(
    postgresql-15 postgresql-server-dev-15 postgresql-common libpq-dev
    g++ make cmake pkg-config clang-14 libclang-rt-14-dev
    libgtest-dev libgmock-dev libbenchmark-dev
    libboost-dev nlohmann-json3-dev libsimdjson-dev libfmt-dev libssl-dev libtomlplusplus-dev
    python3-alembic python3-sqlalchemy python3-psycopg2 python3-sqlmodel
    apgdiff graphviz
)
if [ "${1:-}" = deb ]; then
    packages+=(debhelper dpkg-dev fakeroot postgresql-server-dev-all)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "install-deps: run as root to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
