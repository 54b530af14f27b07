#!/usr/bin/env bash
# make demo: the heroes example (migration files through the SQL functions), then the workflow
# example (C++ models, autogenerate, upgrade, change, check, downgrade through the ender
# command; it builds its migrate program first), in a private PostgreSQL cluster that exists
# only for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
pg_virtualenv -t -v 15 sh -c 'examples/heroes/run.sh && examples/workflow/run.sh'
