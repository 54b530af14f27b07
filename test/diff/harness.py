"""Convergence test of ender_diff (run through test/diff/run.sh; see README.md).

For every pair test/diff/pairs/<name>/{a.sql,b.sql}: load a into a fresh database A and b into
B, diff A against B's snapshot, apply the steps to A and check that A became B (snapshot, pg_dump,
empty second diff, ender_check), then undo them through reverse_sql and check that A became a
again; apply the diff with online => false in a fresh copy of a and check convergence there too
(when its steps are the online ones, only the empty second offline diff, in A).

Environment:
  ENDER_DIFF_DRY=1      load the fixtures and compare a with b only (no ender_diff needed)
  ENDER_DIFF_JOBS=N     pairs run in parallel (default: twice the CPUs; much is waiting on I/O)
  ENDER_DIFF_VERBOSE=1  print every step, hazards, timings and full document diffs
  ENDER_DIFF_KEEP=1     keep the databases (ediff_<n>_a, _b, _off) for inspection

This file chooses the pairs and runs them; pair.py runs one, compare.py compares documents and
dumps, database.py holds the settings and the database helpers.
"""
import concurrent.futures
import fnmatch
import os
import sys
import time

from database import (DRY, JOBS, KEEP, PAIRS, TEMPLATE, admin, connect, drop_db,
                      installed_ender, qi)
from pair import run_pair


def select_pairs(patterns):
    names = sorted(d for d in os.listdir(PAIRS)
                   if os.path.isfile(os.path.join(PAIRS, d, 'a.sql'))
                   and os.path.isfile(os.path.join(PAIRS, d, 'b.sql')))
    if not patterns:
        return names
    chosen = []
    for p in patterns:
        hits = [n for n in names if fnmatch.fnmatchcase(n, p)]
        if not hits:
            sys.exit('test/diff: no pair matches %r (pairs live in %s)' % (p, PAIRS))
        chosen += [n for n in hits if n not in chosen]
    return chosen


def prepare_template():
    drop_db(TEMPLATE)
    with admin().cursor() as cur:
        cur.execute('CREATE DATABASE %s' % qi(TEMPLATE))
    conn = connect(TEMPLATE)
    try:
        with conn.cursor() as cur:
            cur.execute('CREATE EXTENSION ender')
            cur.execute("SELECT to_regprocedure('ender_diff(jsonb,boolean)') IS NOT NULL, "
                        "to_regprocedure('ender_check(jsonb)') IS NOT NULL, "
                        "(SELECT extversion FROM pg_extension WHERE extname = 'ender')")
            has_diff, has_check, version = cur.fetchone()
    finally:
        conn.close()
    return has_diff, has_check, version


def main(argv):
    names = select_pairs(argv)
    started = time.monotonic()
    installed = installed_ender()
    has_diff, has_check, version = prepare_template()
    mode = 'dry run (fixtures only)' if DRY else 'convergence'
    print('-- ender_diff %s: %d pairs, %d jobs, ender %s' % (mode, len(names), JOBS, version))
    if not DRY and not (has_diff and has_check):
        print('-- note: ender_diff(jsonb, boolean) and/or ender_check(jsonb) are not installed; '
              'every pair fails at the diff step (ENDER_DIFF_DRY=1 checks only the fixtures)')
    sys.stdout.flush()
    failed = []
    try:
        with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
            for res in pool.map(lambda a: run_pair(*a), enumerate(names)):
                print(res.render())
                sys.stdout.flush()
                if res.failures:
                    failed.append(res.name)
    finally:
        if not KEEP:
            drop_db(TEMPLATE)
    elapsed = time.monotonic() - started
    print('-- %d pairs in %.1f s: %d ok, %d failed' % (len(names), elapsed, len(names) - len(failed),
                                                     len(failed)))
    if failed:
        print('-- failed: ' + ' '.join(failed))
    if installed_ender() != installed:
        print('-- warning: the installed extension changed during the run (make install?); '
              'the results may mix two builds: run again')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
