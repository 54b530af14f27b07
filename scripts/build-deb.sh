#!/usr/bin/env bash
# make deb: the Debian packages postgresql-15-ender, libender-dev and ender (debian/), built with
# dpkg-buildpackage on a copy of the tree in build/deb/ender-<version> (the files git tracks or
# would track, as they are in the working tree), so that the package build's clean steps never
# touch the tree's own builds. The .deb files land in build/deb/.
# DEB_BUILD_OPTIONS defaults to nocheck (make test runs pg_regress; scripts/test-deb.sh tests
# the installed packages); DEB_BUILD_OPTIONS= runs pg_buildext installcheck in the build too.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" ender.control)
deb_version=$(dpkg-parsechangelog -S Version)
if [ "${deb_version%-*}" != "$version" ]; then
    echo "build-deb: debian/changelog is at $deb_version but ender.control at $version:" \
        "add a debian/changelog entry for $version" >&2
    exit 1
fi
out=build/deb
src=$out/ender-$version
rm -rf "$out"
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do
        [ -e "$f" ] || [ -L "$f" ] || continue  # deleted in the working tree
        cp --parents -P "$f" "$src/"
    done
export DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS-nocheck}
DEB_BUILD_OPTIONS="$DEB_BUILD_OPTIONS parallel=$(nproc)"
(cd "$src" && dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1 || {
    tail -60 "$out/build.log"
    echo "build-deb: dpkg-buildpackage failed (the whole log: $out/build.log)" >&2
    exit 1
}
for p in "postgresql-15-ender" libender-dev ender; do
    ls "$out/${p}_${deb_version}_"*.deb >/dev/null
done
ls -1 "$out"/*.deb
