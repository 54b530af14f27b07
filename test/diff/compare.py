"""Comparisons of the convergence test (harness.py): two snapshot documents or two pg_dump
outputs, their differences as readable lines."""
import difflib
import json
import re
import subprocess

from database import PG_DUMP, VERBOSE, Fatal


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
