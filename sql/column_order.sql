-- Column order (issue 22): ADD COLUMN always appends. Against a document ender_snapshot wrote,
-- ender_diff names the order it leaves (a NOTICE) and plans only the rest, and so does
-- ender_check (true once nothing else is left), unless the target allows rewrites_table: then
-- the table is created anew in the target's order.
CREATE EXTENSION ender;
CREATE TABLE hero (name text, age int);
INSERT INTO hero VALUES ('Deadpond', 30);
-- The target: a column between the two.
BEGIN;
DROP TABLE hero;
CREATE TABLE hero (name text, born_on date, age int);
SELECT ender_snapshot()::text AS target \gset
ROLLBACK;
SELECT ender_check(:'target');
SELECT step, sql FROM ender_diff(:'target');
ALTER TABLE hero ADD COLUMN born_on date;
-- Applied: nothing left to plan (ender_check is true), and the order is still named.
SELECT count(*) AS steps FROM ender_diff(:'target');
SELECT ender_check(:'target');
-- The same columns in the target's order: equal.
BEGIN;
DROP TABLE hero;
CREATE TABLE hero (name text, age int, born_on date);
SELECT ender_snapshot()::text AS same_order \gset
ROLLBACK;
SELECT ender_check(:'same_order');
-- A document not written by ender_snapshot (a model's, or one written by hand) does not ask
-- for an order: no report.
SELECT ender_check((:'target'::jsonb - 'deparsed_by')::text);
-- Allowed ("allow": ["rewrites_table"]): the table is created anew in the target's order, its
-- rows set aside and copied back.
SELECT jsonb_set(:'target'::jsonb, '{allow}', '["rewrites_table"]')::text AS allowed \gset
SELECT step, sql FROM ender_diff(:'allowed');
SELECT sql FROM ender_diff(:'allowed') ORDER BY step \gexec
SELECT * FROM hero;
SELECT ender_check(:'target'), ender_check(:'allowed');
DROP TABLE hero;
DROP EXTENSION ender;
