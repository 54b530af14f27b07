#!/usr/bin/env bash
# The online-revision tests (docs/zero-downtime.md): lifecycle under load and of every
# operation kind, locks (of the online steps, of plain revisions and of the CONCURRENTLY index
# statements), a killed worker (mid-backfill and mid-index-build), online indexes (create_index, drop_index) — inside the
# pg_virtualenv cluster of scripts/test-in-cluster.sh — and a server stopped with
# -m immediate, in a cluster of its own.
set -euo pipefail
cd "$(dirname "$0")"
for t in lifecycle custom locks plain_locks concurrent_locks faults indexes restart; do
    echo "   test/online/$t.sh"
    bash "$t.sh" 2>&1 | grep -v '^NOTICE:' || exit 1
done
