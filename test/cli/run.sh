#!/usr/bin/env bash
# The `ender` command end to end against the throwaway server (scripts/test-in-cluster.sh, inside
# pg_virtualenv). Each test/cli/<part>.sh runs on its own scratch databases.
# Usage: test/cli/run.sh [path/to/ender [part...]]   (default build/cmake/ender, every part);
# the model-aware programs (workflow_migrate, workflow_migrate_v2, service_app) are taken from the same
# directory as ender.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export ENDER=$(realpath "${1:-$here/../../build/cmake/ender}")
shift || true
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(verbs autogenerate offline fleet output graph safety status version alembic failures split config migrate)
failed=()
for part in "${parts[@]}"; do
    echo "   -- $part"
    bash "$here/$part.sh" || failed+=("$part")
done
if [ ${#failed[@]} -ne 0 ]; then
    echo "test/cli: failed: ${failed[*]}"
    exit 1
fi
echo "   test/cli: all passed"
