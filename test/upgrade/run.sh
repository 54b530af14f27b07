#!/usr/bin/env bash
# Versioned updates (docs/architecture.md, "Versions and update scripts"): the catalog of every
# update path equals a fresh install, and an update keeps a database in use working. Inside
# the pg_virtualenv cluster of scripts/test-in-cluster.sh.
set -euo pipefail
cd "$(dirname "$0")"
for t in catalog update; do
    echo "   test/upgrade/$t.sh"
    bash "$t.sh" 2>&1 | grep -v '^NOTICE:' || exit 1
done
