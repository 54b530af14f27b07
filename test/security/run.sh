#!/usr/bin/env bash
# The attack suite of issue 16 (docs/security.md): each script plays a role that tries to do,
# through ender, more than its own privileges allow, and asserts the secure outcome. Each runs
# in a cluster of its own (lib.sh), so that it can log in as each role and read the server log.
set -euo pipefail
cd "$(dirname "$0")"
for t in ${ENDER_SECURITY_TESTS:-tables checksum worker rollback values search_path outside_ddl sqlstates}; do
    echo "   test/security/$t.sh"
    bash "$t.sh" 2>&1 | grep -v '^NOTICE:' || exit 1
done
