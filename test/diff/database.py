"""The databases of the convergence test (harness.py): its settings, connections, fixtures
loaded, snapshots taken, ender_diff's steps computed, applied and reversed."""
import glob
import os
import subprocess
import threading

import psycopg2


HERE = os.path.dirname(os.path.abspath(__file__))
PAIRS = os.path.join(HERE, 'pairs')
DRY = os.environ.get('ENDER_DIFF_DRY') == '1'
VERBOSE = os.environ.get('ENDER_DIFF_VERBOSE') == '1'
KEEP = os.environ.get('ENDER_DIFF_KEEP') == '1'
JOBS = max(1, int(os.environ.get('ENDER_DIFF_JOBS') or 2 * (os.cpu_count() or 2)))
PREFIX = 'ediff'
TEMPLATE = PREFIX + '_template'
MAX_LINES = 200 if VERBOSE else 30      # lines of detail shown per failure
STATEMENT_TIMEOUT_MS = 120000           # no step may hang the run


def pg_binary(name):
    """The client binaries of the cluster's version (pg_virtualenv sets PG_CONFIG); calling
    them directly also skips Debian's Perl wrapper."""
    try:
        bindir = subprocess.run([os.environ.get('PG_CONFIG', 'pg_config'), '--bindir'],
                                capture_output=True, text=True, check=True).stdout.strip()
        path = os.path.join(bindir, name)
        if os.access(path, os.X_OK):
            return path
    except (OSError, subprocess.CalledProcessError):
        pass
    return name


def installed_ender():
    """Modification times of the installed extension's files: a `make install` during the run
    would mix two builds in one result."""
    stamps = {}
    pg_config = os.environ.get('PG_CONFIG', 'pg_config')
    for flag, pattern in (('--pkglibdir', 'ender.so'), ('--sharedir', 'extension/ender*')):
        try:
            base = subprocess.run([pg_config, flag], capture_output=True, text=True,
                                  check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            continue
        for path in glob.glob(os.path.join(base, pattern)):
            stamps[path] = os.stat(path).st_mtime
    return stamps


PSQL = pg_binary('psql')
PG_DUMP = pg_binary('pg_dump')


class Fatal(Exception):
    """Stops the pair: what failed and the lines that explain it."""

    def __init__(self, headline, details=()):
        super().__init__(headline)
        self.headline = headline
        self.details = list(details)


def connect(dbname):
    conn = psycopg2.connect(dbname=dbname, application_name='ender-diff-harness',
                            options='-c statement_timeout=%d -c client_min_messages=warning'
                            % STATEMENT_TIMEOUT_MS)
    conn.autocommit = True
    return conn


_admin = threading.local()


def admin():
    conn = getattr(_admin, 'conn', None)
    if conn is None or conn.closed:
        conn = connect(os.environ.get('PGDATABASE') or 'postgres')
        _admin.conn = conn
    return conn


def qi(name):
    return '"' + name.replace('"', '""') + '"'


def create_db(name, template):
    with admin().cursor() as cur:
        cur.execute('DROP DATABASE IF EXISTS %s WITH (FORCE)' % qi(name))
        cur.execute('CREATE DATABASE %s TEMPLATE %s' % (qi(name), qi(template)))


def drop_db(name):
    with admin().cursor() as cur:
        cur.execute('DROP DATABASE IF EXISTS %s WITH (FORCE)' % qi(name))


def error_lines(e):
    """A psycopg2 error as short lines: message, detail, hint, context."""
    diag = getattr(e, 'diag', None)
    if diag is not None and diag.message_primary:
        lines = ['%s: %s' % (diag.severity or 'ERROR', diag.message_primary)]
        for label, value in (('DETAIL', diag.message_detail), ('HINT', diag.message_hint),
                             ('CONTEXT', diag.context)):
            if value:
                lines += ['%s: %s' % (label, line) if i == 0 else '  ' + line
                          for i, line in enumerate(value.strip().splitlines())]
        return lines
    return [line for line in str(e).strip().splitlines() if line.strip()] or [repr(e)]


def sql_lines(label, sql):
    lines = sql.strip().splitlines() or ['']
    return ['%s: %s' % (label, lines[0])] + ['  ' + l for l in lines[1:]]


def scalar(conn, sql, args=None):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchone()[0]


def load(dbname, path):
    env = dict(os.environ, PGOPTIONS='-c client_min_messages=warning')
    r = subprocess.run([PSQL, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', dbname, '-f', path],
                       capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise Fatal('%s does not load' % os.path.relpath(path, HERE),
                    (r.stderr or r.stdout).strip().splitlines()[-10:])


def snapshot(conn, who, privileges=False):
    try:
        return scalar(conn, 'SELECT ender_snapshot(privileges => %s)::text', (privileges,))
    except psycopg2.Error as e:
        raise Fatal('ender_snapshot() failed in %s' % who, error_lines(e))


def live_snapshot_mismatch(conn, who):
    """The live side of ender_diff is read from the catalogs straight into the engine's
    structures: it must be the snapshot the engine parses from ender._snapshot_json."""
    try:
        mismatch = scalar(conn, 'SELECT ender._live_snapshot_mismatch()')
    except psycopg2.Error as e:
        raise Fatal('ender._live_snapshot_mismatch() failed in %s' % who, error_lines(e))
    if mismatch is not None:
        raise Fatal('the live snapshot read into structures differs from the parsed document '
                    'in %s' % who, [mismatch])


def same_doc(conn, x, y):
    return scalar(conn, 'SELECT %s::jsonb = %s::jsonb', (x, y))


class Step:
    def __init__(self, row):
        (self.step, self.sql, self.reverse_sql, self.kind, self.object,
         self.hazards, self.in_transaction) = row

    def label(self):
        return 'step %s (%s %s)' % (self.step, self.kind, self.object)

    def line(self, width=160):
        sql = ' '.join((self.sql or '<NULL>').split())
        if len(sql) > width:
            sql = sql[:width - 3] + '...'
        flags = '' if self.in_transaction else ' [outside transaction]'
        hazards = ' hazards=%s' % ','.join(self.hazards) if self.hazards else ''
        return '%s%s%s: %s' % (self.label(), flags, hazards, sql)


def diff(conn, target, online):
    with conn.cursor() as cur:
        cur.execute('SELECT step, sql, reverse_sql, object_kind, object_name, hazards, '
                    'in_transaction FROM ender_diff(%s::jsonb, %s) ORDER BY step',
                    (target, online))
        return [Step(row) for row in cur.fetchall()]


def ender_check(conn, target):
    return scalar(conn, 'SELECT ender_check(%s::jsonb)', (target,))


def apply(conn, steps):
    """Applies the steps in order: consecutive in_transaction steps share one transaction,
    the others run alone. Returns None, or (what failed, error lines)."""
    with conn.cursor() as cur:
        open_tx = False
        for s in steps:
            if not s.sql:
                if open_tx:
                    cur.execute('ROLLBACK')
                return s.label(), ['the step has no sql']
            if open_tx and not s.in_transaction:
                try:
                    cur.execute('COMMIT')
                except psycopg2.Error as e:
                    return 'the COMMIT before ' + s.label(), error_lines(e)
                open_tx = False
            if s.in_transaction and not open_tx:
                cur.execute('BEGIN')
                open_tx = True
            try:
                cur.execute(s.sql)
            except psycopg2.Error as e:
                if open_tx:
                    cur.execute('ROLLBACK')
                return s.label(), error_lines(e) + sql_lines('sql', s.sql)
        if open_tx:
            try:
                cur.execute('COMMIT')
            except psycopg2.Error as e:
                return 'the final COMMIT', error_lines(e)
    return None


def apply_reverse(conn, steps):
    """Runs every reverse_sql in reverse step order, each alone (an undo of a step that ran
    outside a transaction may need the same, e.g. DROP INDEX CONCURRENTLY)."""
    with conn.cursor() as cur:
        for s in reversed(steps):
            try:
                cur.execute(s.reverse_sql)
            except psycopg2.Error as e:
                return ('reverse_sql of ' + s.label(),
                        error_lines(e) + sql_lines('reverse_sql', s.reverse_sql))
    return None
