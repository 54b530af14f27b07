-- A partition key change (issue 22): PostgreSQL cannot alter a partition key. Without an
-- allowance ender_diff refuses it (0A000, a hint naming the allowance); with "allow":
-- ["rewrites_table"] in the target the table and its partitions are created anew, the rows set
-- aside and copied back.
CREATE EXTENSION ender;
\set VERBOSITY default
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'
CREATE TABLE reading (id int, city text NOT NULL, taken_on date NOT NULL) PARTITION BY RANGE (taken_on);
CREATE TABLE reading_2024 PARTITION OF reading FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
INSERT INTO reading VALUES (1, 'oslo', '2024-03-01'), (2, 'lima', '2024-06-01');
BEGIN;
DROP TABLE reading;
CREATE TABLE reading (id int, city text NOT NULL, taken_on date NOT NULL) PARTITION BY LIST (city);
CREATE TABLE reading_north PARTITION OF reading FOR VALUES IN ('oslo');
CREATE TABLE reading_other PARTITION OF reading DEFAULT;
SELECT ender_snapshot()::text AS target \gset
ROLLBACK;
-- Refused, naming the allowance; nothing changes.
SELECT step, sql FROM ender_diff(:'target');
:sqlstate
-- Allowed: the rows are set aside, the old tree dropped, the new one created and filled.
SELECT jsonb_set(:'target'::jsonb, '{allow}', '["rewrites_table"]')::text AS allowed \gset
SELECT step, sql, hazards FROM ender_diff(:'allowed');
SELECT ender_check(:'allowed');
SELECT sql FROM ender_diff(:'allowed') ORDER BY step \gexec
SELECT tableoid::regclass AS partition, id, city FROM reading ORDER BY id;
SELECT ender_check(:'allowed'), ender_check(:'target');
-- An allowance ender does not know is refused with the path to it.
SELECT count(*) FROM ender_diff(jsonb_set(:'target'::jsonb, '{allow}', '["everything"]'));
:sqlstate
DROP TABLE reading;
DROP EXTENSION ender;
