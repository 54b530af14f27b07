-- ender_downgrade: downgrade SQL in reverse order; -N, ids, base; only the branch above the
-- target is undone; a revision without downgrade SQL stops everything before it starts.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

SELECT count(*) FROM ender_register_many(ARRAY[
$m$-- ender:revision a1
-- ender:upgrade
CREATE TABLE log_row (step text);
-- ender:downgrade
DROP TABLE log_row;
$m$,
$m$-- ender:revision b2
-- ender:parents a1
-- ender:upgrade
INSERT INTO log_row VALUES ('b2 up');
-- ender:downgrade
INSERT INTO log_row VALUES ('b2 down');
$m$,
$m$-- ender:revision c3
-- ender:parents b2
-- ender:upgrade
INSERT INTO log_row VALUES ('c3 up');
-- ender:downgrade
INSERT INTO log_row VALUES ('c3 down');
$m$,
$m$-- ender:revision d4
-- ender:parents c3
-- ender:upgrade
INSERT INTO log_row VALUES ('d4 up');
-- ender:downgrade
INSERT INTO log_row VALUES ('d4 down');
$m$]);
SELECT * FROM ender_upgrade();

SELECT * FROM ender_downgrade('-1');
SELECT * FROM ender_current();
SELECT * FROM ender_downgrade('b2');
SELECT * FROM ender_current();
SELECT * FROM log_row;
SELECT * FROM ender_upgrade();
SELECT * FROM ender_downgrade('-2');
SELECT * FROM ender_current();
SELECT * FROM ender_downgrade('base');
SELECT * FROM ender_current();
SELECT to_regclass('log_row') AS log_row;
SELECT revision, operation, stamped, outcome FROM ender_history() ORDER BY id;

-- Undoing one branch leaves the other branch applied.
SELECT * FROM ender_upgrade('b2');
SELECT ender_register(id => 'x1', parents => ARRAY['b2'],
                      upgrade => $$INSERT INTO log_row VALUES ('x1 up')$$,
                      downgrade => $$INSERT INTO log_row VALUES ('x1 down')$$);
SELECT ender_register(id => 'y1', parents => ARRAY['b2'],
                      upgrade => $$INSERT INTO log_row VALUES ('y1 up')$$,
                      downgrade => $$INSERT INTO log_row VALUES ('y1 down')$$);
SELECT * FROM ender_upgrade('heads');
SELECT * FROM ender_current();
SELECT * FROM ender_downgrade('c3');
SELECT * FROM ender_current();
SELECT * FROM ender_downgrade('b2');
SELECT * FROM ender_current();

-- A revision without downgrade SQL cannot be undone; nothing runs.
SELECT ender_register(id => 'z9', parents => ARRAY['y1'], upgrade => 'SELECT 1');
SELECT * FROM ender_upgrade('z9');
TRUNCATE log_row;
SELECT * FROM ender_downgrade('b2');
:sqlstate
SELECT count(*) AS rows_written FROM log_row;
SELECT * FROM ender_current();

-- A failing downgrade statement leaves everything as it was.
SELECT * FROM ender_stamp('x1');
SELECT ender_register(id => 'w8', parents => ARRAY['x1'], upgrade => 'SELECT 1',
                      downgrade => $$INSERT INTO log_row VALUES ('w8 down'); SELECT 1/0$$);
SELECT * FROM ender_upgrade('w8');
SELECT * FROM ender_downgrade('b2');
:sqlstate
SELECT count(*) AS rows_written FROM log_row;
SELECT * FROM ender_current();

-- Invalid targets.
SELECT * FROM ender_downgrade('-9');
:sqlstate
SELECT * FROM ender_downgrade('y1');
:sqlstate
SELECT * FROM ender_downgrade('unknown');
:sqlstate
SELECT * FROM ender_downgrade(NULL);

DROP TABLE log_row;
DROP EXTENSION ender;
