#!/usr/bin/env bash
# Issue 16, item 9: splitting a migration (ender_register) and reading its hazards
# (ender_hazards) cost linear time in the number of statements. Times both at 12,500, 25,000
# and 50,000 statements; doubling the statements should about double the time (it was four
# times: 1.8 s at 25,000, 7.6 s at 50,000). Needs a running cluster (PG* environment, e.g.
# inside pg_virtualenv) with the extension installed; prints a table for docs/benchmarks.md.
set -euo pipefail
db=ender_bench_linear
dropdb --if-exists "$db" >/dev/null; createdb "$db"
trap 'dropdb --if-exists "$db"' EXIT
psql -X -q -d "$db" -c "CREATE EXTENSION ender"
ms() {  # milliseconds of one statement, server-side
    psql -X -q -A -t -d "$db" -c "DO \$\$ DECLARE t timestamptz := clock_timestamp(); BEGIN $1; RAISE NOTICE '%', round(extract(epoch FROM clock_timestamp() - t) * 1000); END \$\$" 2>&1 |
        sed -n 's/^NOTICE:  //p'
}
printf '| statements | ender_hazards (ms) | ender_register (ms) |\n|---:|---:|---:|\n'
for n in 12500 25000 50000; do
    sql="(SELECT string_agg(format('ALTER TABLE t%s ADD COLUMN c int;', g), E'\n') FROM generate_series(1, $n) g)"
    h=$(ms "PERFORM count(*) FROM ender_hazards($sql)")
    r=$(ms "PERFORM ender_register(id => 'b$n', parents => '{}', upgrade => $sql)")
    printf '| %d | %s | %s |\n' "$n" "$h" "$r"
done
