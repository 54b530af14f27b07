-- Aggregates, operators, casts and text search dictionaries and configurations in snapshots and
-- in the diff (docs/snapshot-format.md). Convergence: test/diff pairs aggregate_*, operator_*,
-- cast_*, text_search_*.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

CREATE SCHEMA objs;
SET search_path = objs;
CREATE FUNCTION add_points(state bigint, points int) RETURNS bigint
    LANGUAGE sql IMMUTABLE RETURN state + COALESCE(points, 0);
CREATE AGGREGATE total_points(int) (SFUNC = add_points, STYPE = bigint, INITCOND = '0',
                                    PARALLEL = SAFE);
COMMENT ON AGGREGATE total_points(int) IS 'sum of points';
CREATE FUNCTION joined_final(state text[], sep text) RETURNS text
    LANGUAGE sql IMMUTABLE RETURN array_to_string(state, sep);
CREATE AGGREGATE joined(sep text ORDER BY text) (SFUNC = array_append, STYPE = text[],
                                                 FINALFUNC = joined_final, INITCOND = '{}');
CREATE AGGREGATE row_count(*) (SFUNC = int8inc, STYPE = bigint, INITCOND = '0');
CREATE FUNCTION same_parity(a int, b int) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN a % 2 = b % 2;
CREATE FUNCTION halve(a int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a / 2;
CREATE OPERATOR === (FUNCTION = same_parity, LEFTARG = int, RIGHTARG = int, COMMUTATOR = ===,
                     NEGATOR = !==, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES);
CREATE OPERATOR ~/ (FUNCTION = halve, RIGHTARG = int);
COMMENT ON OPERATOR ~/ (NONE, int) IS 'half';
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE FUNCTION mood_score(m mood) RETURNS int
    LANGUAGE sql IMMUTABLE RETURN array_position(enum_range(NULL::mood), m);
CREATE CAST (mood AS int) WITH FUNCTION mood_score(mood) AS ASSIGNMENT;
COMMENT ON CAST (mood AS int) IS 'position in the enum';
CREATE CAST (mood AS varchar) WITH INOUT AS IMPLICIT;
CREATE TYPE span AS RANGE (subtype = int);
CREATE CAST (span AS bytea) WITHOUT FUNCTION;
CREATE TEXT SEARCH DICTIONARY english_snow (TEMPLATE = snowball, language = 'english',
                                            stopwords = 'english');
COMMENT ON TEXT SEARCH DICTIONARY english_snow IS 'snowball stemmer';
CREATE TEXT SEARCH DICTIONARY plain_words (TEMPLATE = simple);
CREATE TEXT SEARCH CONFIGURATION docs (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION docs ADD MAPPING FOR asciiword WITH plain_words, english_snow;
ALTER TEXT SEARCH CONFIGURATION docs ADD MAPPING FOR int, uint WITH simple;
RESET search_path;
-- Extension members are described by their extension: citext's operators, casts and
-- aggregates are not listed.
CREATE EXTENSION citext SCHEMA objs;

CREATE TEMP TABLE s AS SELECT ender_snapshot(ARRAY['objs']) AS doc;
SELECT jsonb_pretty(doc->'aggregates') AS aggregates FROM s;
SELECT jsonb_pretty(doc->'operators') AS operators FROM s;
-- A range type's own cast to its multirange type is not listed.
SELECT jsonb_pretty(doc->'casts') AS casts FROM s;
SELECT jsonb_pretty(doc->'text_search_dictionaries') AS dictionaries FROM s;
SELECT jsonb_pretty(doc->'text_search_configurations') AS configurations FROM s;
-- A range type, with its multirange type's name; the constructor functions it made for itself
-- are its own. Aggregates are not functions either.
SELECT jsonb_pretty(doc->'range_types') AS range_types FROM s;
SELECT f->>'name' AS function FROM s, jsonb_array_elements(doc->'functions') f ORDER BY 1;

-- The diff from the empty schema creates each object after the functions it calls and
-- dictionaries before configurations; the diff back drops them before those functions.
CREATE TEMP TABLE empty AS
    SELECT jsonb_set(doc, '{schemas}', '[{"name": "objs", "comment": null}]') AS doc
      FROM (SELECT ender_snapshot('{}') AS doc) x;
SELECT step, object_kind, CASE object_kind WHEN 'function' THEN object_name ELSE sql END AS sql
  FROM s, empty, ender._diff(empty.doc::text, s.doc::text, true)
 WHERE object_kind NOT IN ('type', 'extension', 'comment');
SELECT step, object_kind, sql FROM s, empty, ender._diff(s.doc::text, empty.doc::text, true)
 WHERE object_kind NOT IN ('type', 'extension');
-- A document without these lists (a model document) leaves the live objects alone.
SELECT count(*) AS steps FROM s, ender._diff(s.doc::text,
    (s.doc - 'aggregates' - 'operators' - 'casts' - 'text_search_dictionaries'
           - 'text_search_configurations' - 'range_types')::text, true);
-- Changes made in place: an operator's estimators, a dictionary's options (set again in the
-- target's order, the removed ones named alone), a configuration's mappings.
CREATE TEMP TABLE changed AS SELECT ender_snapshot(ARRAY['objs']) AS doc;
ALTER OPERATOR objs.=== (int, int) SET (RESTRICT = scalarltsel, JOIN = NONE);
ALTER TEXT SEARCH DICTIONARY objs.english_snow (stopwords, language = 'english');
ALTER TEXT SEARCH DICTIONARY objs.plain_words (accept = false);
ALTER TEXT SEARCH CONFIGURATION objs.docs ALTER MAPPING FOR asciiword WITH objs.english_snow;
ALTER TEXT SEARCH CONFIGURATION objs.docs DROP MAPPING FOR int;
SELECT step, object_kind, sql, reverse_sql
  FROM changed, ender._diff(ender_snapshot(ARRAY['objs'])::text, doc::text, true);

-- Invalid documents name the path of the problem.
SELECT count(*) FROM ender_diff(jsonb_set(ender_snapshot(ARRAY['objs']), '{aggregates,0}', '{"schema": "objs"}'));
:sqlstate
SELECT count(*) FROM ender_diff(jsonb_set(ender_snapshot(ARRAY['objs']), '{text_search_configurations,0,mappings}', '{}'));
:sqlstate
SELECT count(*) FROM ender_diff(jsonb_set(ender_snapshot(ARRAY['objs']), '{casts,0,source}', '1'));
:sqlstate

DROP SCHEMA objs CASCADE;
DROP EXTENSION ender;
