#!/usr/bin/env bash
# make demo: the heroes example in a private PostgreSQL cluster that exists only for the run.
set -euo pipefail
cd "$(dirname "$0")/.."
pg_virtualenv -t -v 15 examples/heroes/run.sh
