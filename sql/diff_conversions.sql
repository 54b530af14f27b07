-- ender_diff and a column's type change: the conversion a target document declares on the
-- column ("conversions"), and a change with no cast refused at diff time (42846), never
-- written as a step that fails when applied.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

CREATE TABLE item (id int PRIMARY KEY, code text, made date);
INSERT INTO item VALUES (1, ' 42 ', '2020-05-01'), (2, '', '1999-12-31'), (3, NULL, NULL);
CREATE TEMP TABLE live AS SELECT ender_snapshot() AS doc;
-- The target: item.code becomes an integer. A plain cast exists (and is what the diff writes
-- when the document says nothing more), but fails on the empty string.
CREATE TEMP TABLE plain AS
SELECT jsonb_set(doc, '{tables,0,columns,1,type}', '"integer"') AS doc FROM live;
SELECT step, sql, reverse_sql FROM plain, ender_diff(doc, online => false);
ALTER TABLE item ALTER code TYPE integer USING code::integer;
:sqlstate

-- The conversion declared on the column: its USING, its down expression as the reverse and in
-- the online form (alter_column USING ... DOWN ...).
CREATE TEMP TABLE converted AS
SELECT jsonb_set(doc, '{tables,0,columns,1,conversions}',
                 '[{"from": "text", "using": "nullif(trim(code), '''')::integer", "down": "code::text"}]') AS doc
  FROM plain;
SELECT step, sql, reverse_sql, online_operation FROM converted, ender_diff(doc);
-- A document written by hand or by the C++ models (no "deparsed_by") is normalised by the
-- server first: the conversion stays, and its type may be spelled any way the server reads.
SELECT sql FROM converted, ender_diff(jsonb_set(doc - 'deparsed_by', '{tables,0,columns,1,conversions,0,from}', '"TEXT"'));
-- A conversion from another type than the live one is not used; "from": null is any type.
SELECT sql FROM converted, ender_diff(jsonb_set(doc, '{tables,0,columns,1,conversions,0,from}', '"character varying(20)"'));
SELECT sql FROM converted, ender_diff(jsonb_set(doc, '{tables,0,columns,1,conversions,0,from}', 'null'));

-- Applying the steps converts the values; the document keeps its conversion and converges.
CREATE TEMP TABLE planned AS SELECT d.* FROM converted, ender_diff(converted.doc, online => false) d;
DO $$
DECLARE s record;
BEGIN
    FOR s IN SELECT sql FROM planned ORDER BY step LOOP
        EXECUTE s.sql;
    END LOOP;
END $$;
SELECT id, code FROM item ORDER BY id;
SELECT ender_check(doc) AS converged FROM converted;
SELECT count(*) AS steps_left FROM converted, ender_diff(doc);
-- The reverse takes the values back to text.
DO $$
DECLARE s record;
BEGIN
    FOR s IN SELECT reverse_sql FROM planned ORDER BY step DESC LOOP
        EXECUTE s.reverse_sql;
    END LOOP;
END $$;
SELECT id, code FROM item ORDER BY id;
SELECT ender_check(doc) AS back FROM live;

-- No cast from date to integer: refused when the diff is computed, with the table, the column,
-- both types, and how to declare the conversion.
CREATE TEMP TABLE year_only AS
SELECT jsonb_set(doc, '{tables,0,columns,2,type}', '"integer"') AS doc FROM live;
SELECT * FROM year_only, ender_diff(doc);
:sqlstate
SELECT ender_check(doc) FROM year_only;
:sqlstate
-- Declared, the change is planned and applies; without a down expression and with no cast
-- back, it has no reverse and no online form.
CREATE TEMP TABLE year_converted AS
SELECT jsonb_set(doc, '{tables,0,columns,2,conversions}',
                 '[{"from": "date", "using": "extract(year from made)::integer"}]') AS doc
  FROM year_only;
SELECT step, sql, reverse_sql, online_operation FROM year_converted, ender_diff(doc);
DO $$
DECLARE s record;
BEGIN
    FOR s IN SELECT d.sql FROM year_converted, ender_diff(year_converted.doc) d ORDER BY d.step LOOP
        EXECUTE s.sql;
    END LOOP;
END $$;
SELECT id, made FROM item ORDER BY id;
SELECT ender_check(doc) AS converged FROM year_converted;

-- A domain casts as its base type: a date domain to integer is refused the same way.
CREATE DOMAIN day AS date;
ALTER TABLE item ADD seen day;
CREATE TEMP TABLE with_day AS
SELECT jsonb_set(ender_snapshot(), '{tables,0,columns,3,type}', '"integer"') AS doc;
SELECT * FROM with_day, ender_diff(doc);
:sqlstate

-- Malformed conversions are refused with their place in the document (22023), and expressions
-- that are not one expression (42601): a step is never written around a statement of the
-- document's.
CREATE FUNCTION pg_temp.refusal(doc jsonb, path text[], value jsonb) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE detail text;
BEGIN
    PERFORM FROM ender_diff(jsonb_set(doc, path, value));
    RETURN 'accepted';
EXCEPTION WHEN others THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RETURN SQLSTATE || ' ' || SQLERRM || E'\n' || detail;
END $$;
SELECT v.value, pg_temp.refusal(c.doc, v.path, v.value)
  FROM converted c, (VALUES ('{tables,0,columns,1,conversions,0,using}'::text[], '""'::jsonb),
                            ('{tables,0,columns,1,conversions,0,from}', '42'),
                            ('{tables,0,columns,1,conversions}', '{"from": "text"}'),
                            ('{tables,0,columns,1,conversions,0,using}', '"1); DROP TABLE item; --"'),
                            ('{tables,0,columns,1,conversions,0,using}', '"code::integer) WHERE (true"'),
                            ('{tables,0,columns,1,conversions,0,down}', '"code::text,"')) v(path, value);
SELECT count(*) AS item_kept FROM item;

DROP TABLE item;
DROP DOMAIN day;
DROP EXTENSION ender;
