"""One pair of the convergence test (harness.py): load a and b, diff, apply, compare, reverse,
and the offline run; its result as printed lines."""
import json
import os
import time

import psycopg2

from compare import doc_diff, dump, dump_diff
from database import (DRY, HERE, KEEP, MAX_LINES, PAIRS, PREFIX, TEMPLATE, VERBOSE, Fatal, apply,
                      apply_reverse, connect, create_db, diff, drop_db, ender_check, error_lines,
                      live_snapshot_mismatch, load, same_doc, snapshot)


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
