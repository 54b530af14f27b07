-- Online indexes (docs/zero-downtime.md): create_index built CONCURRENTLY by the worker from
-- every part of its line, drop_index dropped CONCURRENTLY, what each refuses before anything
-- starts, and malformed lines. A killed worker, a rollback mid-build and CALL ender_wait
-- through a build: test/online/indexes.sh.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'
CREATE SCHEMA shop;
CREATE TABLE shop.item (id int PRIMARY KEY, code text, qty int, "Note" text);
INSERT INTO shop.item SELECT g, 'c' || g % 4, g - 3, 'n' || g FROM generate_series(1, 20) g;
CREATE INDEX item_code ON shop.item (code);
ALTER TABLE shop.item ADD CONSTRAINT item_qty_key UNIQUE (qty);
CREATE TABLE part (id int, n int) PARTITION BY RANGE (id);
CREATE INDEX part_n ON part (n);
SET search_path = shop, public;
SELECT ender_register(id => 'b0', parents => '{}', upgrade => '');
SELECT ender_register(format($file$-- ender:revision %s
-- ender:parents b0
-- ender:online %s
-- ender:upgrade
$file$, id, operation))
  FROM (VALUES ('i1', 'create_index item_qty_code ON item USING btree (qty DESC, lower(code)) INCLUDE ("Note") WITH (fillfactor = 70) WHERE (qty > 0 AND code <> ''c0'')'),
               ('i2', 'create_index "Item Code" ON shop.item (code)'),
               ('d1', 'drop_index item_code'),
               ('d2', 'drop_index shop."Item Code"'),
               ('e1', 'create_index item_code ON item (qty)'),
               ('e2', 'create_index item_x ON nowhere (qty)'),
               ('e3', 'drop_index nowhere'),
               ('e4', 'drop_index item_qty_key'),
               ('e5', 'drop_index public.part_n'),
               ('e6', 'drop_index item'),
               ('f1', 'create_index item_bad ON item (nope)'))
       AS e(id, operation);

-- create_index: the worker builds it from every part of the line; complete leaves it, valid.
SELECT * FROM ender_upgrade('i1');
CALL ender_wait('i1');
SELECT phase, last_error FROM ender.online_job;
SELECT pg_get_indexdef('shop.item_qty_code'::regclass) AS built;
SELECT indisvalid FROM pg_index WHERE indexrelid = 'shop.item_qty_code'::regclass;
SELECT ender_complete('i1');
SELECT count(*) AS view_schemas FROM pg_namespace WHERE nspname LIKE 'ender\_%';
-- A name quoted as written, the table qualified; rollback of a built index drops it.
SELECT * FROM ender_upgrade('i2');
CALL ender_wait('i2');
SELECT pg_get_indexdef('shop."Item Code"'::regclass) AS built;
SELECT ender_rollback('i2');
SELECT count(*) AS left_behind FROM pg_class WHERE relname = 'Item Code';
SELECT * FROM ender_upgrade('i2');
CALL ender_wait('i2');
SELECT ender_complete('i2');

-- drop_index: dropped CONCURRENTLY by the worker; once dropped, rollback is refused and
-- complete applies the revision.
SELECT * FROM ender_upgrade('d1');
CALL ender_wait('d1');
SELECT count(*) AS item_code FROM pg_class WHERE relname = 'item_code';
SELECT ender_rollback('d1');
:sqlstate
SELECT ender_complete('d1');
SELECT revision_id FROM ender.applied WHERE revision_id = 'd1';
SELECT * FROM ender_upgrade('d2');
CALL ender_wait('d2');
SELECT ender_complete('d2');
SELECT count(*) AS item_code_quoted FROM pg_class WHERE relname = 'Item Code';

-- A build that fails (a column that does not exist) fails the job; rollback leaves no index.
SELECT * FROM ender_upgrade('f1');
CALL ender_wait('f1');
:sqlstate
SELECT ender_rollback('f1');
SELECT count(*) AS item_bad FROM pg_class WHERE relname = 'item_bad';

-- Refused when the job would start: a name taken, a table or index that does not exist, an
-- index a constraint needs, the index of a partitioned table, a table named as an index.
CREATE INDEX item_code ON shop.item (code);
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
SELECT count(*) AS jobs FROM ender.online_job;

-- Malformed lines are refused at registration (42601), hinting at the form.
SELECT ender_register(E'-- ender:revision m1\n-- ender:online create_index item_a item (qty)\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m2\n-- ender:online create_index item_a ON item\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m3\n-- ender:online create_index item_a ON item (qty\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m4\n-- ender:online create_index item_a ON item (qty) WHERE qty > 0\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m5\n-- ender:online create_index item_a ON item (qty); DROP TABLE item\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m6\n-- ender:online create_index ON item (qty)\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m7\n-- ender:online drop_index item_code CASCADE\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision m8\n-- ender:online create_index item_a ON item USING (qty)\n-- ender:upgrade\n');
:sqlstate
RESET search_path;
DROP TABLE shop.item, part;
DROP SCHEMA shop;
DROP EXTENSION ender;
