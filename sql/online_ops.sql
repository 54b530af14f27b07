-- Online operations besides alter_column (docs/zero-downtime.md): what each refuses before
-- anything starts, and the rows (or keys) a failed validation names. The lifecycle of each
-- kind, under both shapes, is in test/online/lifecycle.sh.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'
CREATE TABLE parent (id int PRIMARY KEY);
INSERT INTO parent VALUES (1), (2);
CREATE TABLE item (id int PRIMARY KEY, code text, qty int, parent_id int);
INSERT INTO item SELECT g, 'c' || g % 4, g - 3, g % 3 + 1 FROM generate_series(1, 12) g;
UPDATE item SET code = NULL WHERE id IN (5, 9);
CREATE TABLE nokey (a int, b int);
SELECT ender_register(id => 'b0', parents => '{}', upgrade => '');
-- A revision per operation, registered but not started.
SELECT ender_register(format($file$-- ender:revision %s
-- ender:parents b0
-- ender:online %s
-- ender:upgrade
$file$, id, operation))
  FROM (VALUES ('v1', 'set_not_null item code'),
               ('v2', 'add_unique item item_code_key (code)'),
               ('v3', 'add_constraint item item_qty_check CHECK (qty > 0)'),
               ('v4', 'add_constraint item item_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE ON UPDATE NO ACTION'),
               ('v5', 'add_primary_key nokey nokey_pkey (a)'),
               ('e1', 'rename_column item code TO qty'),
               ('e2', 'rename_column item nope TO other'),
               ('e3', 'add_column item qty int NOT NULL BACKFILL (1)'),
               ('e4', 'add_column nokey c int NOT NULL BACKFILL (1)'),
               ('e5', 'add_column item c int NOT NULL BACKFILL (now())'),
               ('e6', 'add_column item c int NOT NULL DEFAULT (''x'') BACKFILL (1)'),
               ('e7', 'set_not_null item id'),
               ('e8', 'add_unique item item_pkey (code)'),
               ('e9', 'add_primary_key item item_code_pkey (code)'),
               ('e10', 'add_constraint item item_pkey CHECK (qty > 0)'),
               ('e11', 'add_constraint item item_bad CHECK (now())'),
               ('e12', 'add_unique item item_nope_key (nope)'),
               ('e13', 'add_constraint item item_fk FOREIGN KEY (parent_id) REFERENCES nowhere (id)'))
       AS e(id, operation);

-- Validation fails naming the rows (their keys) that stop it; rollback leaves nothing.
SELECT * FROM ender_upgrade('v1');
CALL ender_wait('v1');
:sqlstate
SELECT ender_rollback('v1');
SELECT * FROM ender_upgrade('v2');
CALL ender_wait('v2');
:sqlstate
SELECT ender_rollback('v2');
SELECT * FROM ender_upgrade('v3');
CALL ender_wait('v3');
:sqlstate
SELECT ender_rollback('v3');
UPDATE item SET parent_id = 7 WHERE id = 4;
SELECT * FROM ender_upgrade('v4');
CALL ender_wait('v4');
:sqlstate
SELECT ender_rollback('v4');
-- NULL in a column of a new primary key (keys named by ctid: the table has no key yet).
INSERT INTO nokey VALUES (1, 1), (NULL, 2);
SELECT * FROM ender_upgrade('v5');
CALL ender_wait('v5');
:sqlstate
SELECT ender_rollback('v5');
\d item
\d nokey
SELECT count(*) AS view_schemas FROM pg_namespace WHERE nspname LIKE 'ender\_%';
SELECT count(*) AS jobs FROM ender.online_job;

-- Refused when the job would start.
SELECT * FROM ender_upgrade('e1');
:sqlstate
SELECT * FROM ender_upgrade('e2');
:sqlstate
SELECT * FROM ender_upgrade('e3');
:sqlstate
SELECT * FROM ender_upgrade('e4');
:sqlstate
SELECT * FROM ender_upgrade('e5');
:sqlstate
SELECT * FROM ender_upgrade('e6');
:sqlstate
SELECT * FROM ender_upgrade('e7');
:sqlstate
SELECT * FROM ender_upgrade('e8');
:sqlstate
SELECT * FROM ender_upgrade('e9');
:sqlstate
SELECT * FROM ender_upgrade('e10');
:sqlstate
SELECT * FROM ender_upgrade('e11');
:sqlstate
SELECT * FROM ender_upgrade('e12');
:sqlstate
SELECT * FROM ender_upgrade('e13');
:sqlstate
SELECT count(*) AS jobs FROM ender.online_job;

-- Malformed lines are refused at registration, with the line of the file.
SELECT ender_register(format(E'-- ender:revision %s\n-- ender:online %s\n-- ender:upgrade\n', id, operation))
  FROM (VALUES ('m1', 'rename_column item code')) AS m(id, operation);
:sqlstate
SELECT ender_register(E'-- ender:revision m2\n-- ender:online add_column item c int BACKFILL (1)\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m3\n-- ender:online add_column item c int NOT NULL\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m4\n-- ender:online set_not_null item code extra\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m5\n-- ender:online add_unique item k code\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m6\n-- ender:online add_unique item k (code,)\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m7\n-- ender:online add_constraint item k UNIQUE (code)\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m8\n-- ender:online add_constraint item k FOREIGN KEY (a, b) REFERENCES p (a)\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m9\n-- ender:online add_constraint item k FOREIGN KEY (a) REFERENCES p (a) ON DELETE EXPLODE\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m10\n-- ender:online drop_column item code\n-- ender:upgrade\n');
:sqlstate

-- ender.statement_timeout bounds each step of the worker: a validation that takes longer fails.
CREATE FUNCTION slow_positive(n int) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS 'SELECT pg_sleep(0.05) IS NOT NULL AND n > -100';
SELECT ender_register($file$-- ender:revision t1
-- ender:parents b0
-- ender:online add_constraint item item_slow_check CHECK (public.slow_positive(qty))
-- ender:upgrade
$file$);
SET ender.statement_timeout = '100ms';
SELECT * FROM ender_upgrade('t1');
CALL ender_wait('t1');
:sqlstate
SELECT ender_rollback('t1');
RESET ender.statement_timeout;
SELECT count(*) AS constraints FROM pg_constraint WHERE conrelid = 'item'::regclass AND contype = 'c';
DROP TABLE item, parent, nokey;
DROP FUNCTION slow_positive(int);
DROP EXTENSION ender;
