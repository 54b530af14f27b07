-- Issue 16, item 6 (docs/security.md): comparing a hand-written document never runs its text as
-- arbitrary statements. Normalising builds it from the statements the diff writes only, each
-- parsed and run on its own; function bodies are stored, not checked or run; materialized
-- views are built WITH NO DATA. The canary sequence counts every run of what must not run.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'
CREATE SEQUENCE canary;
CREATE SCHEMA doc;
CREATE VIEW doc.v AS SELECT 1 AS x;
-- A function whose body calls nextval, in every document below: stored, never run.
CREATE FUNCTION doc.f() RETURNS bigint LANGUAGE sql AS $f$ SELECT nextval('canary') $f$;
CREATE TEMP TABLE d AS SELECT ender_snapshot(ARRAY['doc']) - 'deparsed_by' AS doc;
DROP SCHEMA doc CASCADE;

-- A view whose definition smuggles more statements (here COPY ... TO PROGRAM, a query).
SELECT count(*) FROM ender_diff((SELECT jsonb_set(doc, '{views,0,definition}',
    to_jsonb('SELECT 1 AS x; COPY (SELECT nextval(''canary'')) TO PROGRAM ''cat''; SELECT 1'::text)) FROM d));
:sqlstate
SELECT count(*) FROM ender_diff((SELECT jsonb_set(doc, '{views,0,definition}',
    to_jsonb('SELECT 1 AS x; SELECT nextval(''canary'')'::text)) FROM d));
:sqlstate

-- A materialized view whose query calls nextval: built empty, its query never runs.
SELECT sql FROM ender_diff((SELECT jsonb_set(jsonb_set(doc, '{views,0,definition}',
    to_jsonb('SELECT nextval(''public.canary'') AS x'::text)), '{views,0,materialized}', 'true') FROM d))
 WHERE object_kind = 'materialized view';

SELECT last_value, is_called FROM canary;
DROP SEQUENCE canary;
DROP EXTENSION ender;
