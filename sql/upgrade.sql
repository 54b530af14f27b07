-- ender_upgrade: pending revisions applied in dependency order, in the caller's transaction;
-- a failure anywhere leaves the schema and ender's tables exactly as they were.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

-- Registration order is not application order: parents come first.
SELECT ender_register(id => 'c3', parents => ARRAY['b2'], upgrade => 'INSERT INTO item VALUES (3)')
  FROM (SELECT ender_register(id => 'a1', parents => '{}',
                              upgrade => 'CREATE TABLE item (n int PRIMARY KEY)',
                              downgrade => 'DROP TABLE item')) a,
       (SELECT ender_register(id => 'b2', parents => ARRAY['a1'],
                              upgrade => 'INSERT INTO item VALUES (1); INSERT INTO item VALUES (2)',
                              downgrade => 'DELETE FROM item WHERE n IN (1, 2)')) b;
SELECT * FROM ender_current();
SELECT * FROM ender_upgrade('b2');
SELECT * FROM ender_current();
SELECT * FROM ender_upgrade();
SELECT * FROM item ORDER BY n;
-- Nothing pending: nothing applied, nothing logged.
SELECT * FROM ender_upgrade();
SELECT revision, operation, stamped, outcome, statements, run_by, duration >= '0' AS timed
  FROM ender_history();
SELECT revision_id, seq FROM ender.applied ORDER BY seq;

-- A failure in the middle of a revision, in the middle of a run: nothing of the call remains.
SELECT ender_register(id => 'd4', parents => ARRAY['c3'],
                      upgrade => 'CREATE TABLE d4_table (id int); INSERT INTO item VALUES (4)');
SELECT ender_register(id => 'e5', parents => ARRAY['d4'], upgrade => $sql$
CREATE TABLE e5_table (id int);
INSERT INTO item VALUES (5);

-- the next statement fails on the existing rows
INSERT INTO item VALUES (1);
CREATE TABLE never (id int);
$sql$);
CREATE TEMP TABLE before_state AS
    SELECT (SELECT count(*) FROM ender.applied) AS applied,
           (SELECT count(*) FROM ender.log) AS logged,
           (SELECT generation FROM ender.state) AS generation;
SELECT * FROM ender_upgrade();
:sqlstate
SELECT to_regclass('d4_table') AS d4_table, to_regclass('e5_table') AS e5_table,
       to_regclass('never') AS never;
SELECT array_agg(n ORDER BY n) AS items FROM item;
SELECT (SELECT count(*) FROM ender.applied) = applied AS applied_unchanged,
       (SELECT count(*) FROM ender.log) = logged AS log_unchanged,
       (SELECT generation FROM ender.state) = generation AS state_unchanged
  FROM before_state;
SELECT * FROM ender_current();

-- Inside an explicit transaction, the caller decides: a rollback undoes the upgrade too.
SELECT ender_register(id => 'e5', parents => ARRAY['d4'],
                      upgrade => 'CREATE TABLE e5_table (id int)', replace => true);
BEGIN;
SELECT * FROM ender_upgrade();
SELECT * FROM ender_current();
ROLLBACK;
SELECT * FROM ender_current();
SELECT to_regclass('e5_table') AS e5_table;

-- Migrations run with the caller's search_path; ender's own queries do not depend on it.
CREATE SCHEMA app;
SELECT ender_register(id => 'f6', parents => ARRAY['e5'],
                      upgrade => 'CREATE TABLE in_search_path (id int)');
SET search_path = app, public;
SELECT * FROM ender_upgrade();
RESET search_path;
SELECT to_regclass('app.in_search_path') AS in_app;
-- A migration cannot call ender itself.
SELECT ender_register(id => 'g7', parents => ARRAY['f6'], upgrade => 'SELECT ender_upgrade()');
SELECT * FROM ender_upgrade();
:sqlstate

-- Invalid targets.
SELECT * FROM ender_upgrade('nothere');
:sqlstate
SELECT * FROM ender_upgrade('-1');
:sqlstate
SELECT * FROM ender_upgrade('a1@');
:sqlstate
SELECT * FROM ender_upgrade('');
:sqlstate
SELECT * FROM ender_upgrade(NULL);

-- A damaged state (an applied revision that is not registered) is reported, never guessed.
INSERT INTO ender.applied VALUES ('ghost', 99, now(), current_user);
SELECT * FROM ender_upgrade();
:sqlstate
SELECT * FROM ender_current();
:sqlstate
DELETE FROM ender.applied WHERE revision_id = 'ghost';
SELECT * FROM ender_current();

-- ender.report_progress: an INFO message before each revision an upgrade or downgrade runs
-- (the ender command's progress line).
SELECT ender_register(id => 'p1', parents => '{}', upgrade => 'SELECT 1', downgrade => 'SELECT 1');
SELECT ender_register(id => 'p2', parents => '{p1}', upgrade => 'SELECT 2', downgrade => 'SELECT 2');
SET ender.report_progress = on;
SELECT * FROM ender_upgrade('p2');
SELECT * FROM ender_downgrade('-2');
RESET ender.report_progress;
SELECT * FROM ender_upgrade('p1');

DROP SCHEMA app CASCADE;
DROP TABLE item;
DROP EXTENSION ender;
