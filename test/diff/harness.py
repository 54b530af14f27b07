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
"""
import concurrent.futures
import difflib
import fnmatch
import glob
import json
import os
import re
import subprocess
import sys
import threading
import time

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


# ---------------------------------------------------------------------------------------------
# Database helpers

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


# ---------------------------------------------------------------------------------------------
# Comparisons

def short(value, width=140):
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= width else text[:width - 3] + '...'


def ident(item):
    if isinstance(item, dict) and isinstance(item.get('name'), str):
        schema = item.get('schema')
        name = '%s.%s' % (schema, item['name']) if isinstance(schema, str) else item['name']
        if isinstance(item.get('arguments'), str):      # functions are overloaded
            name += '(%s)' % item['arguments']
        return name
    return None


def walk(x, y, path, other, out):
    if isinstance(x, dict) and isinstance(y, dict):
        for k in sorted(set(x) | set(y)):
            p = '%s.%s' % (path, k) if path else k
            if k not in x:
                out.append('%s: missing, %s has %s' % (p, other, short(y[k])))
            elif k not in y:
                out.append('%s: is %s, %s has no such key' % (p, short(x[k]), other))
            else:
                walk(x[k], y[k], p, other, out)
    elif isinstance(x, list) and isinstance(y, list):
        kx, ky = [ident(i) for i in x], [ident(i) for i in y]
        if (None not in kx + ky and len(set(kx)) == len(kx) and len(set(ky)) == len(ky)
                and (x or y)):
            mx, my = dict(zip(kx, x)), dict(zip(ky, y))
            for k in kx:
                if k not in my:
                    out.append('%s[%s]: extra, not in %s' % (path, k, other))
            for k in ky:
                if k not in mx:
                    out.append('%s[%s]: missing, %s has it: %s' % (path, k, other, short(my[k], 100)))
            for k in kx:
                if k in my:
                    walk(mx[k], my[k], '%s[%s]' % (path, k), other, out)
            cx, cy = [k for k in kx if k in my], [k for k in ky if k in mx]
            if cx != cy:
                out.append('%s: order is %s, %s has %s' % (path, cx, other, cy))
        elif len(x) == len(y):
            for i, (a, b) in enumerate(zip(x, y)):
                walk(a, b, '%s[%d]' % (path, i), other, out)
        else:
            out.append('%s: is %s, %s has %s' % (path, short(x), other, short(y)))
    elif json.dumps(x, sort_keys=True) != json.dumps(y, sort_keys=True):
        out.append('%s: is %s, %s has %s' % (path, short(x), other, short(y)))


def doc_diff(x_text, y_text, this, other):
    """Readable differences between two snapshot documents: one line per differing path,
    list items matched by schema.name; in verbose mode also a unified diff of the pretty JSON."""
    x, y = json.loads(x_text), json.loads(y_text)
    out = []
    walk(x, y, '', other, out)
    lines = ['snapshot of %s compared with %s:' % (this, other)] + ['  ' + l for l in out]
    if VERBOSE or not out:
        pretty = lambda d: json.dumps(d, indent=2, sort_keys=True).splitlines()
        lines += ['  ' + l for l in difflib.unified_diff(pretty(x), pretty(y), this, other,
                                                          n=3, lineterm='')]
    return lines


def dump(dbname, privileges=False):
    r = subprocess.run([PG_DUMP, '--schema-only', '--no-owner'] + ([] if privileges else ['--no-privileges'])
                       + ['--exclude-schema=ender', '-d', dbname],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise Fatal('pg_dump of %s failed' % dbname, r.stderr.strip().splitlines()[-5:])
    return normalise_dump(r.stdout)


_ENDER_EXTENSION = re.compile(r'^(CREATE EXTENSION (IF NOT EXISTS )?ender( |;)|COMMENT ON EXTENSION ender )')


def normalise_dump(text):
    """Drops what differs between equal schemas: \\restrict/\\unrestrict lines with their random
    key (pg_dump 15.14+) and any other backslash line, comments, SET and set_config lines, blank
    lines, and ender's own extension. Runs of GRANT/REVOKE lines are sorted: pg_dump writes an
    object's ACL entries in the order they were granted, which means nothing."""
    keep = []
    grants = []
    for line in text.splitlines():
        if (not line.strip() or line.startswith('\\') or line.startswith('--')
                or line.startswith('SET ') or line.startswith('SELECT pg_catalog.set_config')
                or _ENDER_EXTENSION.match(line)):
            continue
        if line.startswith(('GRANT ', 'REVOKE ')):
            grants.append(line)
            continue
        keep += sorted(grants) + [line]
        grants = []
    return keep + sorted(grants)


def dump_diff(x, y, this, other):
    return ['pg_dump of %s compared with %s:' % (this, other)] + [
        '  ' + l for l in difflib.unified_diff(x, y, this, other, n=2, lineterm='')
        if not l.startswith(('---', '+++'))]


# ---------------------------------------------------------------------------------------------
# One pair

class Result:
    def __init__(self, name):
        self.name = name
        self.privileges = False  # the pair compares privileges (expect: privileges)
        self.column_order = False  # b's column order is reported, not made (expect: column-order)
        self.failures = []   # (headline, details)
        self.notes = []
        self.log = []        # verbose lines
        self.seconds = 0.0
        self.timings = []    # (what, seconds)
        self._mark = time.monotonic()

    def lap(self, what):
        now = time.monotonic()
        self.timings.append((what, now - self._mark))
        self._mark = now

    def fail(self, headline, details=()):
        self.failures.append((headline, list(details)))

    def render(self):
        lines = []
        if self.failures:
            headline, details = self.failures[0]
            lines.append('FAIL %s: %s' % (self.name, headline))
            for i, (h, d) in enumerate(self.failures):
                if i:
                    lines.append('    also: ' + h)
                if d and any(f[1][:1] == d[:1] for f in self.failures[:i]):
                    lines.append('      %s (as above)' % d[0])
                    continue
                shown = d[:MAX_LINES]
                lines += ['      ' + l for l in shown]
                if len(d) > len(shown):
                    lines.append('      ... %d more lines (ENDER_DIFF_VERBOSE=1 shows more)'
                                 % (len(d) - len(shown)))
        else:
            lines.append('ok %s' % self.name + (' (%s)' % '; '.join(self.notes) if self.notes else ''))
        if self.failures and self.notes:
            lines += ['    note: ' + n for n in self.notes]
        if VERBOSE:
            lines += ['    | ' + l for l in self.log]
            lines.append('    | %.2f s: %s' % (self.seconds, ', '.join(
                '%s %.2f' % t for t in self.timings)))
        return '\n'.join(lines)


def read_lines(name, file):
    """The lines of pairs/<name>/<file> without comments (#) and blanks, as a set; none when
    the file does not exist."""
    path = os.path.join(PAIRS, name, file)
    lines = set()
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                word = line.split('#', 1)[0].strip()
                if word:
                    lines.add(word)
    return lines


def read_expect(name):
    """Optional pairs/<name>/expect: words, one per line (# comments):
    same        a and b mean the same: their snapshots are equal and the diff must be empty
    may-refuse  ender_diff may raise an error for this pair instead of producing steps
    privileges  snapshots are taken with privileges => true and pg_dump keeps the GRANTs
    column-order  b orders a table's columns as ADD COLUMN cannot: the diff leaves the order
                and ender_check names it in a NOTICE; snapshots are compared with each table's
                columns sorted by name, pg_dump not at all"""
    words = read_lines(name, 'expect')
    for word in words:
        if word not in ('same', 'may-refuse', 'privileges', 'column-order'):
            raise Fatal('unknown word %r in %s' % (word, os.path.relpath(
                os.path.join(PAIRS, name, 'expect'), HERE)))
    return words


def read_untouched(name):
    """Optional pairs/<name>/untouched: object names, one a line (# comments), spelled as
    ender_diff's object_name column spells them ("public"."hero_names"). No forward step may
    have one of them as its object: the diff must leave them alone."""
    return read_lines(name, 'untouched')


def declare_allow(name, document):
    """The target document with "allow": the allowances pairs/<name>/allow lists, one a line
    (# comments), e.g. rewrites_table; the document as it is without the file."""
    allow = read_lines(name, 'allow')
    if not allow:
        return document
    doc = json.loads(document)
    doc['allow'] = sorted(allow)
    return json.dumps(doc)


def declare_renames(name, target):
    """The target document as ender_diff gets it: b's snapshot with the "renamed_from" fields
    that pairs/<name>/renames declares, one a line (# comments):
        <list> <object> <old name>
    <list> is a top-level list (schemas, tables, views, sequences, enums, domains,
    composite_types, functions) and <object> its schema.name (a schema: its name), or a list
    inside one (columns, constraints, indexes, triggers, policies of tables or views; attributes
    of composite types; constraints of domains) and <object> schema.owner.name."""
    path = os.path.join(PAIRS, name, 'renames')
    if not os.path.exists(path):
        return target
    doc = json.loads(target)
    parts = {'columns': 'tables', 'indexes': 'tables', 'triggers': 'tables', 'policies': 'tables',
             'constraints': 'tables', 'attributes': 'composite_types'}
    with open(path) as f:
        for line in f:
            words = line.split('#', 1)[0].split()
            if not words:
                continue
            if len(words) != 3:
                raise Fatal('renames: expected "<list> <object> <old name>", got %r' % line.strip())
            kind, obj, old = words
            names = obj.split('.')
            if kind == 'schemas':
                items = [i for i in doc['schemas'] if i['name'] == obj]
            elif kind in parts and len(names) == 3:
                owners = [o for lst in (parts[kind], 'views', 'domains') for o in doc[lst]
                          if o['schema'] == names[0] and o['name'] == names[1] and kind in o]
                items = [i for o in owners for i in o[kind] if i['name'] == names[2]]
            else:
                items = [i for i in doc.get(kind, []) if i.get('schema') == names[0]
                         and i.get('name') == names[-1]]
            if not items:
                raise Fatal('renames: b has no %s %s' % (kind, obj))
            for item in items:
                item['renamed_from'] = old
    return json.dumps(doc)


def column_order_notices(conn, document):
    """The NOTICEs of ender_check(document) that name a column order the diff leaves."""
    del conn.notices[:]
    with conn.cursor() as cur:
        cur.execute('SET client_min_messages = notice')
        try:
            cur.execute('SELECT ender_check(%s::jsonb)', (document,))
        finally:
            cur.execute('SET client_min_messages = warning')
    return [n for n in conn.notices if 'column order of table' in n]


def by_column_name(doc_text):
    """A snapshot document with each table's columns sorted by name."""
    doc = json.loads(doc_text)
    for t in doc.get('tables', []):
        t['columns'] = sorted(t['columns'], key=lambda c: c['name'])
    return json.dumps(doc)


def converges(res, conn, target, online, who, dbname=None, dump_b=None, document=None):
    """After applying: snapshot equals the target, (optionally) the dumps agree, a second
    diff (of `document`, the target with its renames) is empty. Returns True when all held."""
    ok = True
    document = document or target
    after = snapshot(conn, who, res.privileges)
    if res.column_order:
        after, target = by_column_name(after), by_column_name(target)
    if not same_doc(conn, after, target):
        res.fail('%s: snapshot after applying the diff differs from b' % who,
                 doc_diff(after, target, who, 'b'))
        ok = False
    res.lap('snapshot')
    if dbname is not None and not res.column_order:
        dump_a = dump(dbname, res.privileges)
        if dump_a != dump_b:
            res.fail('%s: pg_dump --schema-only differs from b' % who,
                     dump_diff(dump_a, dump_b, who, 'b'))
            ok = False
        res.lap('dump')
    try:
        again = diff(conn, document, online)
    except psycopg2.Error as e:
        res.fail('%s: second ender_diff raised an error' % who, error_lines(e))
        return False
    if again:
        res.fail('%s: second diff is not empty (%d steps)' % (who, len(again)),
                 [s.line() for s in again])
        ok = False
    res.lap('diff')
    return ok


def try_diff(conn, target, online):
    """(steps, None) or (None, the error)."""
    try:
        return diff(conn, target, online), None
    except psycopg2.Error as e:
        return None, e


def without_deparsed_by(doc_text):
    doc = json.loads(doc_text)
    doc.pop('deparsed_by', None)
    return json.dumps(doc)


def same_steps(x, y):
    return [(s.sql, bool(s.in_transaction)) for s in x] == [(s.sql, bool(s.in_transaction)) for s in y]


def forward(res, conn, expect, db_a, dump_b, target, same, steps, error, document):
    """Apply the online diff (computed in the original a) and check convergence in A.
    Returns the steps when they all applied."""
    if error is not None:
        if 'may-refuse' in expect:
            res.notes.append('diff refused, as this pair allows: %s' % error_lines(error)[0])
        else:
            res.fail('ender_diff(target) raised an error', error_lines(error))
        return None
    res.log += ['forward ' + s.line(10 ** 6) for s in steps]
    if os.path.exists(os.path.join(PAIRS, res.name, 'renames')):
        # A pair with declared renames: they are renames, not drops and creates.
        lost = [s.line() for s in steps if 'deletes_data' in (s.hazards or [])]
        if lost or not any(' RENAME ' in s.sql for s in steps):
            res.fail('the pair declares renames, but the diff %s' % (
                'deletes data' if lost else 'renames nothing'), lost)
    if same and steps:
        res.fail('the diff of equal schemas is not empty (%d steps)' % len(steps),
                 [s.line() for s in steps])
    untouched = read_untouched(res.name)
    touched = [s.line() for s in steps if s.object in untouched]
    if touched:
        res.fail('a step touches an object the pair says the diff leaves alone', touched)
    failed = apply(conn, steps)
    res.lap('apply')
    if failed:
        res.fail('%s failed' % failed[0], failed[1])
        return None
    converged = converges(res, conn, target, True, 'a after the diff', db_a, dump_b, document)
    try:
        if res.column_order:
            named = column_order_notices(conn, document)
            if not named:
                res.fail('ender_check(target) does not name the column order the diff leaves '
                         '(no NOTICE "column order of table ...")')
        checked = ender_check(conn, document)
        if checked is not True:
            res.fail('ender_check(target) is %s after applying the diff' % checked)
    except psycopg2.Error as e:
        res.fail('ender_check(target) raised an error after applying the diff', error_lines(e))
    res.lap('check')
    if converged:
        res.notes.insert(0, '%d steps' % len(steps))
    return steps


def reverse(res, conn, steps, original):
    """Undoes the applied steps through their reverse_sql, in reverse order; the database
    must be a again. Runs in A right after the forward checks, which read only, so A is
    exactly 'a copy of a with the steps applied'."""
    if not steps:
        return
    missing = [s for s in steps if s.reverse_sql is None]
    if missing:
        res.notes.append('reverse not checked, no reverse_sql for step ' +
                         ', '.join('%s (%s %s)' % (s.step, s.kind, s.object) for s in missing))
        return
    failed = apply_reverse(conn, steps)
    if failed:
        res.fail('reverse: %s failed' % failed[0], failed[1])
        return
    back = snapshot(conn, 'a after diff and reverse', res.privileges)
    if not same_doc(conn, back, original):
        res.fail('reverse: the snapshot after the reverse steps differs from a',
                 doc_diff(back, original, 'a after diff and reverse', 'the original a'))
    res.lap('reverse')


def offline(res, conn, steps, target, document):
    """Apply the offline diff (computed in the original a) in a fresh copy of a."""
    failed = apply(conn, steps)
    if failed:
        res.fail('offline: %s failed' % failed[0], failed[1])
        return
    converges(res, conn, target, False, 'a after the offline diff', document=document)


def run_pair(index, name):
    res = Result(name)
    started = time.monotonic()
    dbs = {role: '%s_%03d_%s' % (PREFIX, index, role) for role in ('a', 'b', 'off')}
    created = []
    conns = []

    def open_db(role):
        conn = connect(dbs[role])
        conns.append(conn)
        return conn

    try:
        expect = read_expect(name)
        same = 'same' in expect
        res.privileges = 'privileges' in expect
        res.column_order = 'column-order' in expect
        for role in ('a', 'b'):
            create_db(dbs[role], TEMPLATE)
            created.append(dbs[role])
        res.lap('create')
        load(dbs['a'], os.path.join(PAIRS, name, 'a.sql'))
        load(dbs['b'], os.path.join(PAIRS, name, 'b.sql'))
        res.lap('load')
        conn_b = open_db('b')
        target = snapshot(conn_b, 'b', res.privileges)
        if not DRY:
            live_snapshot_mismatch(conn_b, 'b')
        conn_b.close()
        document = declare_allow(name, declare_renames(name, target))
        conn_a = open_db('a')
        original = snapshot(conn_a, 'a', res.privileges)
        if not DRY:
            live_snapshot_mismatch(conn_a, 'a')
        equal = same_doc(conn_a, original, target)
        res.lap('snapshot')
        if same and not equal:
            raise Fatal("fixture: a and b are marked 'same' but their snapshots differ",
                        doc_diff(original, target, 'a', 'b'))
        if not same and equal:
            raise Fatal("fixture: a and b have equal snapshots (write 'same' into the "
                        "pair's expect file if that is meant)")
        dump_b = dump(dbs['b'], res.privileges)
        if DRY:
            dump_a = dump(dbs['a'], res.privileges)
            res.lap('dump')
            if same and dump_a != dump_b:
                res.fail("fixture: a and b are marked 'same' but their pg_dumps differ",
                         dump_diff(dump_a, dump_b, 'a', 'b'))
            res.notes.append('dry run: %s, pg_dump %s' % (
                'same snapshot' if equal else 'snapshots differ',
                'equal' if dump_a == dump_b else 'differs'))
            if VERBOSE and not same:
                res.log += doc_diff(original, target, 'a', 'b')
            return res
        try:
            checked = ender_check(conn_a, document)
            if checked is not (True if same else False):
                res.fail('ender_check(target) is %s in the original a' % checked)
        except psycopg2.Error as e:
            if 'may-refuse' not in expect:
                res.fail('ender_check(target) raised an error in the original a', error_lines(e))
        res.lap('check')

        # Both diffs are computed in the original a (ender_diff only reads). When the offline
        # steps are the online ones, applying them to a copy of a would repeat the forward run
        # statement for statement: then only the empty second offline diff is checked, in A.
        online_steps, online_error = try_diff(conn_a, document, True)
        offline_steps, offline_error = try_diff(conn_a, document, False)
        res.lap('diff')
        # The same document as if written by hand (no "deparsed_by"): the server normalises it
        # by rebuilding it in scratch schemas first, and the steps must not change.
        hand_steps, hand_error = try_diff(conn_a, without_deparsed_by(document), True)
        if hand_error is not None and online_error is None:
            res.fail('normalising b written by hand (no deparsed_by) raised an error',
                     error_lines(hand_error))
        elif online_error is None and not same_steps(online_steps, hand_steps):
            res.fail('normalising b written by hand (no deparsed_by) changed the steps',
                     ['hand ' + s.line() for s in hand_steps] +
                     ['doc  ' + s.line() for s in online_steps])
        res.lap('normalise')
        conn_a.close()
        separate = offline_error is None and (
            online_error is not None or not same_steps(online_steps, offline_steps))
        if separate:
            create_db(dbs['off'], dbs['a'])       # a fresh copy of a for the offline steps
            created.append(dbs['off'])
            res.lap('create')

        conn_a = open_db('a')
        steps = forward(res, conn_a, expect, dbs['a'], dump_b, target, same,
                        online_steps, online_error, document)
        if offline_error is not None:
            if 'may-refuse' not in expect:
                res.fail('offline: ender_diff(target, online => false) raised an error',
                         error_lines(offline_error))
        elif same and offline_steps:
            res.fail('offline: the diff of equal schemas is not empty (%d steps)'
                     % len(offline_steps), [s.line() for s in offline_steps])
        if offline_steps is not None:
            res.log += ['offline ' + s.line(10 ** 6) for s in offline_steps]
        if steps is not None and offline_error is None and not separate:
            again = diff(conn_a, document, False)
            if again:
                res.fail('a after the diff: second offline diff is not empty (%d steps)'
                         % len(again), [s.line() for s in again])
            res.lap('diff')
        if steps is not None:
            reverse(res, conn_a, steps, original)
        elif res.failures:
            res.notes.append('reverse not checked: the forward diff failed')
        conn_a.close()
        if separate:
            offline(res, open_db('off'), offline_steps, target, document)
            res.lap('offline')
        elif offline_error is None and steps:
            res.notes.append('offline steps = online steps')
    except Fatal as f:
        res.fail(f.headline, f.details)
    except psycopg2.Error as e:
        res.fail('unexpected database error', error_lines(e))
    except Exception as e:  # a bug in the harness must not hide the other pairs
        res.fail('harness error: %r' % e)
    finally:
        for conn in conns:
            if not conn.closed:
                conn.close()
        if not KEEP:
            for db in created:
                try:
                    drop_db(db)
                except psycopg2.Error as e:
                    res.notes.append('could not drop %s: %s' % (db, error_lines(e)[0]))
            res.lap('drop')
        res.seconds = time.monotonic() - started
    return res


# ---------------------------------------------------------------------------------------------

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
