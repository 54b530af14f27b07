#!/usr/bin/env bash
# Issue 16, item 9: every error on user input has its proper SQLSTATE, never XX000 (internal
# error). Every function and procedure of the extension is called, by the superuser (who
# reaches the deepest code), by a deploy role (ender_admin) and by an application role
# (no ender_admin: the read functions and internal helpers PUBLIC may call), with malformed arguments of each of its types: empty, truncated,
# oversized, wrong-shaped JSON, NULLs, out-of-range numbers. Any call ending in XX000, or a
# server that does not answer afterwards, fails the test. Calls that succeed are counted: the
# battery must not be so malformed that nothing gets past the first check.
. "$(dirname "$0")/lib.sh"

sweep() {
out=$(as "$1" -v ON_ERROR_STOP=1 2>&1 <<'SQL'
CREATE TEMP TABLE battery (type regtype, value text);  -- value: a SQL literal, or NULL
INSERT INTO battery VALUES
  ('text', NULL), ('text', $$''$$), ('text', $$' '$$), ('text', $$'x'$$), ('text', $$'{'$$),
  ('text', $$'{}'$$), ('text', $$'[]'$$), ('text', $$'null'$$), ('text', $$'"'$$),
  ('text', $$'1e999'$$), ('text', $$'-1'$$), ('text', $$'+99999999999999999999'$$),
  ('text', $$'a@head'$$), ('text', $$'x-99999999999999999999'$$), ('text', $$repeat('é', 100)$$),
  ('text', $$repeat('x', 200000)$$), ('text', $$E'\t\n'$$),
  ('text', $$'-- ender:revision'$$),
  ('text', $$E'-- ender:revision r1\n-- ender:parents r1\n-- ender:upgrade\nSELECT 1;\n'$$),
  ('text', $$E'-- ender:revision r2\n-- ender:online nothing t c\n-- ender:upgrade\n'$$),
  ('text', $$E'-- ender:revision r3\n-- ender:online add_column\n-- ender:upgrade\n'$$),
  ('text', $$E'-- ender:revision r4\n-- ender:upgrade\nSELECT $x$'$$),
  ('text', $$'{"format":"ender-snapshot","version":1}'$$),
  ('text', $$'{"format":"ender-snapshot","version":99}'$$),
  ('text', $$'{"format":"ender-snapshot","version":1,"tables":[{"schema":"public"}]}'$$),
  ('text', $$'{"format":"ender-snapshot","version":1,"tables":{}}'$$),
  ('text', $$repeat('[', 100000)$$),
  ('jsonb', NULL), ('jsonb', $$'{}'$$), ('jsonb', $$'[]'$$), ('jsonb', $$'1'$$),
  ('jsonb', $$'"x"'$$), ('jsonb', $$'null'$$),
  ('jsonb', $$'{"format":"ender-snapshot","version":99}'$$),
  ('jsonb', $$'{"format":"ender-snapshot","version":1,"tables":{}}'$$),
  ('jsonb', $$'{"format":"ender-snapshot","version":1,"tables":[{"schema":1}]}'$$),
  ('jsonb', $$'{"format":"ender-snapshot","version":1.5}'$$),
  ('jsonb', $$'{"format":"ender-snapshot","version":1,"schemas":[{"name":"s","comment":null}],"tables":[{"schema":"s","name":"t","columns":[{"name":"c","type":"integer("}]}]}'$$),
  ('json', NULL), ('json', $$'{}'$$), ('json', $$'[]'$$), ('json', $$'"x"'$$),
  ('json', $$'{"a": 1, "a": 2}'$$), ('json', $$'{"x": "\\ud800"}'$$), ('json', $$'1e999'$$),
  ('text[]', NULL), ('text[]', $$'{}'$$), ('text[]', $$'{NULL}'$$), ('text[]', $$'{"",x}'$$),
  ('text[]', $$ARRAY[E'-- ender:revision a\n-- ender:upgrade\n', E'-- ender:revision a\n-- ender:upgrade\n']$$),
  ('text[]', $$'{pg_catalog,information_schema,nope}'$$),
  ('boolean', 'true'), ('boolean', 'false'), ('boolean', NULL),
  ('interval', $$'0'$$), ('interval', $$'-1 second'$$), ('interval', NULL),
  ('bigint', '0'), ('bigint', '-1'), ('bigint', NULL), ('bigint', '9223372036854775807'),
  ('integer', '0'), ('integer', '-2147483648'),
  ('oid', '0'), ('oid', NULL), ('oid', '4294967295'),
  ('oid[]', NULL), ('oid[]', $$'{}'$$), ('oid[]', $$'{0,4294967295}'$$), ('oid[]', $$'{NULL}'$$),
  ('aclitem[]', NULL), ('aclitem[]', $$'{}'$$),
  ('"char"', $$'x'$$), ('"char"', NULL), ('"char"', $$'r'$$);

-- One call per battery row of each argument type, the other arguments cycling through theirs.
CREATE TEMP TABLE calls AS
WITH fns AS (
    SELECT p.oid, p.prokind, p.pronamespace::regnamespace AS nsp, p.proname,
           p.proargtypes::regtype[] AS types, p.proargmodes
      FROM pg_proc p
      JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
      JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'ender'
     WHERE p.prorettype <> 'trigger'::regtype),
numbered AS (SELECT type, value, row_number() OVER (PARTITION BY type ORDER BY ctid) - 1 AS n,
                    count(*) OVER (PARTITION BY type) AS len FROM battery),
rounds AS (SELECT f.*, r FROM fns f,
           generate_series(0, GREATEST(0, (SELECT max(len) FROM numbered) - 1)) r)
SELECT rounds.oid::regprocedure AS fn,
       format(CASE WHEN prokind = 'p' THEN 'CALL %s.%I(%s)' ELSE 'SELECT * FROM %s.%I(%s)' END,
              nsp, proname,
              (SELECT coalesce(string_agg(coalesce(b.value, 'NULL') || '::' || t.type::text, ', '
                                          ORDER BY t.pos), '')
                 FROM unnest(types) WITH ORDINALITY AS t(type, pos)
                 JOIN numbered b ON b.type = t.type AND b.n = (r + t.pos - 1) % b.len)) AS sql,
       cardinality(types) AS nargs,
       (SELECT count(*) FROM unnest(types) t(type)
         WHERE NOT EXISTS (SELECT FROM battery b WHERE b.type = t.type)) AS untyped
  FROM rounds;

DO $$
DECLARE
    c record;
    state text;
    message text;
    failures int := 0;
    errors int := 0;
    passed int := 0;
BEGIN
    IF EXISTS (SELECT FROM calls WHERE untyped > 0) THEN
        RAISE EXCEPTION 'no battery for an argument type of %',
            (SELECT string_agg(DISTINCT fn::text, ', ') FROM calls WHERE untyped > 0);
    END IF;
    FOR c IN SELECT DISTINCT sql FROM calls ORDER BY sql LOOP
        BEGIN
            SET LOCAL statement_timeout = '20s';
            SET LOCAL ender.lock_wait_limit = '2s';
            EXECUTE c.sql;
            passed := passed + 1;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
            errors := errors + 1;
            IF state = 'XX000' THEN
                failures := failures + 1;
                RAISE WARNING 'XX000 from %: %', left(c.sql, 300), message;
            END IF;
        END;
    END LOOP;
    RAISE NOTICE 'calls: % ended without error, % with a proper SQLSTATE, % with XX000',
        passed, errors - failures, failures;
END
$$;
SQL
) || fail "the sweep as $1 did not run: $out"
echo "   as $1: $(grep -o 'calls: .*' <<<"$out")"
if grep -q 'XX000 from' <<<"$out"; then fail "internal errors on user input (as $1):
$(grep 'XX000 from' <<<"$out")"; fi
[[ "$out" =~ calls:\ ([0-9]+)\ ended\ without\ error,\ ([0-9]+)\ with ]] || fail "no summary: $out"
(( BASH_REMATCH[1] > 20 && BASH_REMATCH[2] > 200 )) || fail "the battery reached too little as $1: $out"
}
sweep postgres
sweep deployer
sweep app
same "$(q -c "SELECT 1")" 1 "the server answers after the sweep"
! grep -q "terminated by signal" "$log" || fail "a backend crashed during the sweep"
echo "   sqlstates: ok (no XX000 from any function or procedure of ender on malformed input)"
