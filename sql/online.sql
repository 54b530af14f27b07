-- Online revisions (docs/zero-downtime.md): "-- ender:online alter_column", expand and backfill
-- by a background worker, both shapes usable at once, ender_complete, ender_rollback, and the
-- refusals of each function.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'
CREATE TABLE account (id bigint PRIMARY KEY, balance integer NOT NULL DEFAULT 0, note text);
INSERT INTO account SELECT g, g, 'note ' || g FROM generate_series(1, 2000) g;
SELECT ender_register(id => 'r0', parents => '{}', upgrade => 'CREATE TABLE side (n int)',
                      downgrade => 'DROP TABLE side');
SELECT ender_register($file$-- ender:revision r1
-- ender:parents r0
-- ender:message balance in cents, as bigint
-- ender:online alter_column account balance type bigint using (balance::bigint * 100) down ((balance / 100)::integer)
-- ender:upgrade
CREATE INDEX account_balance ON account (balance);
-- ender:downgrade
DROP INDEX account_balance;
ALTER TABLE account ALTER COLUMN balance TYPE integer USING (balance / 100)::integer;
$file$);
SELECT ender_register(id => 'r2', parents => ARRAY['r1'], upgrade => 'CREATE TABLE after_r1 (n int)',
                      downgrade => 'DROP TABLE after_r1');

-- The upgrade applies r0, starts r1 and stops there; the worker expands and backfills.
SET ender.backfill_batch_size = 500;
SELECT * FROM ender_upgrade();
SELECT * FROM ender_current();
CALL ender_wait('r1');
SELECT revision, operation, phase, rows_done, rows_total, percent, batches, eta, last_error
  FROM ender_status();

-- Both shapes at once: the old one in public, the new one in the revision's schema of views.
SELECT id, balance, _ender_new_balance FROM account WHERE id IN (1, 2000) ORDER BY id;
SELECT id, balance FROM ender_r1.account WHERE id IN (1, 2000) ORDER BY id;
SELECT c.reloptions FROM pg_class c WHERE c.oid = 'ender_r1.account'::regclass;
-- Writes through either shape are seen by the other.
INSERT INTO account (id, balance) VALUES (3001, 7);
INSERT INTO ender_r1.account (id, balance, note) VALUES (3002, 900, 'new app');
UPDATE account SET balance = 8 WHERE id = 1;
UPDATE ender_r1.account SET balance = 4200 WHERE id = 2;
UPDATE account SET note = 'only the note' WHERE id = 3;
SET search_path = ender_r1, public;
SELECT id, balance, note FROM account WHERE id IN (1, 2, 3, 3001, 3002) ORDER BY id;
RESET search_path;
SELECT id, balance, note FROM account WHERE id IN (1, 2, 3, 3001, 3002) ORDER BY id;

-- While r1 runs, nothing else moves the position, and r1 cannot change.
SELECT * FROM ender_upgrade();
:sqlstate
SELECT * FROM ender_downgrade('base');
:sqlstate
SELECT * FROM ender_stamp('r2');
:sqlstate
SELECT ender_register($file$-- ender:revision r1
-- ender:parents r0
-- ender:online alter_column account balance type numeric using (balance) down (balance::integer)
-- ender:upgrade
$file$, replace => true);
:sqlstate

-- Rollback: the schema is as it was before expand, and no job is left.
SELECT ender_rollback('r1');
\d account
SELECT count(*) AS view_schemas FROM pg_namespace WHERE nspname LIKE 'ender\_%';
SELECT count(*) AS ender_functions FROM pg_proc WHERE proname LIKE '\_ender%';
SELECT count(*) AS jobs FROM ender.online_job;
SELECT id, balance FROM account WHERE id IN (1, 2, 3001, 3002) ORDER BY id;

-- Again, to the end: complete contracts, runs the upgrade section and applies r1.
SELECT * FROM ender_upgrade();
CALL ender_wait('r1', '10 minutes');
SELECT ender_complete('r1');
\d account
SELECT count(*) AS view_schemas FROM pg_namespace WHERE nspname LIKE 'ender\_%';
SELECT count(*) AS jobs FROM ender.online_job;
SELECT id, balance FROM account WHERE id IN (1, 2, 2000, 3001, 3002) ORDER BY id;
SELECT * FROM ender_current();
SELECT * FROM ender_upgrade();
SELECT revision, operation, outcome FROM ender_history() ORDER BY id;
-- An application using the new shape's search_path keeps working after contract.
SET search_path = ender_r1, public;
SELECT balance FROM account WHERE id = 2;
RESET search_path;
-- And the revision goes down with its downgrade section like any other.
SELECT * FROM ender_downgrade('r0');
SELECT format_type(atttypid, atttypmod) FROM pg_attribute
 WHERE attrelid = 'account'::regclass AND attname = 'balance';

-- A backfill that fails on a row: the job says why; rollback cleans up.
CREATE TABLE label (id int PRIMARY KEY, code text);
INSERT INTO label VALUES (1, '10'), (2, '20'), (3, 'x30');
SELECT ender_register($file$-- ender:revision r3
-- ender:parents r0
-- ender:online alter_column label code type integer using (code::integer) down (code::text)
-- ender:upgrade
$file$);
SELECT * FROM ender_upgrade('r3');
CALL ender_wait('r3');
:sqlstate
SELECT phase, last_error FROM ender_status();
SELECT ender_complete('r3');
:sqlstate
SELECT ender_rollback('r3');
SELECT count(*) AS jobs FROM ender.online_job;

-- A job not yet ready cannot complete.
SET ender.backfill_batch_size = 1;
SET ender.backfill_pause = '1min';
SELECT * FROM ender_upgrade('r1');
DO $$ BEGIN
    WHILE (SELECT phase FROM ender.online_job) <> 'backfill' LOOP
        IF clock_timestamp() > statement_timestamp() + interval '10 min' THEN
            RAISE 'the job did not reach its backfill in ten minutes';
        END IF;
        PERFORM pg_sleep(0.01);
    END LOOP;
END $$;
\set VERBOSITY terse
SELECT ender_complete('r1');
:sqlstate
\set VERBOSITY default
SELECT ender_rollback('r1');
RESET ender.backfill_batch_size;
RESET ender.backfill_pause;

-- Operations ender refuses before anything starts.
SELECT ender_complete('r1');
:sqlstate
SELECT ender_rollback('nope');
:sqlstate
SELECT ender_complete(NULL);
:sqlstate
CREATE TABLE keyless (a int, b int);
CREATE TABLE indexed (id int PRIMARY KEY, v int);
CREATE INDEX indexed_v ON indexed (v);
CREATE TABLE plain (id int PRIMARY KEY, v int);
SELECT ender_register(id => 'base2', parents => '{}', upgrade => '');
SELECT ender_register(format($file$-- ender:revision %s
-- ender:parents base2
-- ender:online %s
-- ender:upgrade
$file$, id, operation))
  FROM (VALUES ('e1', 'alter_column nowhere a type bigint using (a) down (a)'),
               ('e2', 'alter_column keyless a type bigint using (a) down (a)'),
               ('e3', 'alter_column indexed id type int using (id) down (id)'),
               ('e4', 'alter_column indexed v type bigint using (v) down (v)'),
               ('e5', 'alter_column indexed nope type bigint using (nope) down (nope)'),
               ('e6', 'alter_column plain v type no_such_type using (v) down (v)'),
               ('e7', 'alter_column plain v type bigint using (v || now()) down (v)'))
       AS e(id, operation);
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
SELECT count(*) AS jobs FROM ender.online_job;
-- Malformed online lines are refused at registration.
SELECT ender_register(E'-- ender:revision bad1\n-- ender:online alter_column t c type int\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision bad2\n-- ender:online drop_everything\n-- ender:upgrade\n');
:sqlstate
SELECT ender_register(E'-- ender:revision bad3\n-- ender:online alter_column t c type int using (c) down (c)\n-- ender:online alter_column t d type int using (d) down (d)\n-- ender:upgrade\n');
:sqlstate
CALL ender_wait('nope');
:sqlstate
SET ender.lock_wait_limit = -1;
:sqlstate
SET ender.no_such_setting = 1;
:sqlstate
DROP EXTENSION ender;
