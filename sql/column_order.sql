-- Column order (issue 22): ADD COLUMN always appends, and ender_diff does not rebuild a table to
-- reorder its columns. Against a document ender_snapshot wrote, ender_check names the order the
-- diff leaves (a NOTICE) and stays false; ender_diff names it too and plans only the rest.
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
-- Applied: nothing left to plan, and the order is still reported.
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
DROP TABLE hero;
DROP EXTENSION ender;
