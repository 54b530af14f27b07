-- Hand-written zero-downtime phases (docs/zero-downtime.md): the expand, backfill, contract and
-- rollback sections of a migration file make a custom online revision. Registration and its
-- refusals here; the lifecycle under the worker is test/online/custom.sh.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'
CREATE TABLE item (id int PRIMARY KEY, price int);
SELECT ender_register($file$-- ender:revision c1
-- ender:message price in cents
-- ender:expand
ALTER TABLE item ADD cents bigint;
-- ender:backfill
UPDATE item SET cents = price * 100
 WHERE id IN (SELECT id FROM item WHERE cents IS NULL AND price IS NOT NULL ORDER BY id LIMIT 500);
-- ender:contract
ALTER TABLE item DROP price;
-- ender:rollback
ALTER TABLE item DROP cents;
-- ender:downgrade
ALTER TABLE item ADD price int;
UPDATE item SET price = cents / 100;
ALTER TABLE item DROP cents;
$file$);
-- The phases are kept with the revision, under their markers, and count in its checksum.
SELECT id, upgrade_sql, online FROM ender.revision;

-- Refusals: a malformed file (42601, with its line), a section the server cannot parse, a
-- backfill that is not one statement.
SELECT ender_register(E'-- ender:revision x1\n-- ender:expand\nALTER TABLE t ADD c int;');
:sqlstate
SELECT ender_register(E'-- ender:revision x1\n-- ender:upgrade\n-- ender:contract\nSELECT 1;');
:sqlstate
SELECT ender_register(E'-- ender:revision x1\n-- ender:online alter_column item price type bigint using (price) down (price::int)\n-- ender:backfill\nSELECT 1;');
:sqlstate
SELECT ender_register(E'-- ender:revision x1\n-- ender:backfill\nSELECT 1;\n-- ender:backfill\nSELECT 2;');
:sqlstate
SELECT ender_register(E'-- ender:revision x1\n-- ender:backfill\nUPDATE item SET cents = 1;\nUPDATE item SET cents = 2;');
:sqlstate
SELECT ender_register(E'-- ender:revision x1\n-- ender:backfill\n-- nothing here');
:sqlstate
SELECT ender_register(E'-- ender:revision x1\n-- ender:backfill\nUPDATE item SET cents = 1;\n-- ender:backfill_count\nSELECT 1;\nSELECT 2;');
:sqlstate
SELECT ender_register(E'-- ender:revision x1\n-- ender:expand\nSELECT 1;\n-- ender:rollback\n-- ender:backfill_count\nSELECT 1;');
:sqlstate
SELECT ender_register(E'-- ender:revision x1\n-- ender:expand\nALTER TABLE item ADD;\n-- ender:rollback\n');
:sqlstate
SELECT ender_register(E'-- ender:revision x1\n-- ender:expand\nCREATE INDEX CONCURRENTLY i ON item (id);\n-- ender:rollback\n');
:sqlstate
SELECT count(*) FROM ender.revision;
DROP TABLE item;
DROP EXTENSION ender;
