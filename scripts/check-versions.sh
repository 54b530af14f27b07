#!/usr/bin/env bash
# The version is written in ender.control; every other place that states it must agree:
# META.json (PGXN, as x.y.0), debian/changelog (x.y-N), CHANGELOG.md (a heading per version),
# and an update script from the previous version (docs/architecture.md, "Versions and update
# scripts"). Run by make test; needs no server.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-versions: $*" >&2; exit 1; }
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" ender.control)
[ -n "$version" ] || fail "no default_version in ender.control"
meta=$(python3 -c 'import json; m = json.load(open("META.json")); print(m["version"], m["provides"]["ender"]["version"])')
[ "$meta" = "$version.0 $version.0" ] || fail "META.json says $meta, ender.control $version"
deb=$(sed -n '1s/^ender (\([^)]*\)).*/\1/p' debian/changelog)
[ "${deb%-*}" = "$version" ] || fail "debian/changelog's first entry is $deb, ender.control $version"
grep -q "^## $version\b" CHANGELOG.md || fail "CHANGELOG.md has no heading for $version"
if git ls-files --error-unmatch "extension/ender--$version.sql" >/dev/null 2>&1; then
    fail "extension/ender--$version.sql is committed: the current version's script is built, not edited"
fi
ls extension/ender--*--"$version".sql >/dev/null 2>&1 || fail "no update script to $version in extension/"
echo "   versions: $version everywhere (ender.control, META.json, debian/changelog, CHANGELOG.md)"
