-- CALL ender_upgrade_logged / ender_downgrade_logged: the same work as ender_upgrade and
-- ender_downgrade, plus a durable log entry when an attempt fails.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

SELECT ender_register(id => 'l1', parents => '{}', upgrade => 'CREATE TABLE l1_table (id int)',
                      downgrade => 'DROP TABLE l1_table');
SELECT ender_register(id => 'l2', parents => '{l1}', upgrade => $sql$
INSERT INTO l1_table VALUES (1);
ALTER TABLE l1_table ADD CONSTRAINT positive CHECK (id < 0);
$sql$, downgrade => 'DELETE FROM l1_table');

CALL ender_upgrade_logged();
:sqlstate
-- The failure was committed to the log; the work was not.
SELECT revision, operation, outcome, target, error_sqlstate, error_message, error_context
  FROM ender_history();
SELECT * FROM ender_current();
SELECT to_regclass('l1_table') AS l1_table;

-- Engine errors (here: a target that does not exist) are logged the same way.
CALL ender_upgrade_logged('nothere');
:sqlstate
SELECT revision, outcome, target, error_sqlstate, error_message, error_hint
  FROM ender_history() ORDER BY id DESC LIMIT 1;

-- Fixed and applied: the procedure returns what it applied.
SELECT ender_register(id => 'l2', parents => '{l1}', upgrade => 'INSERT INTO l1_table VALUES (1)',
                      downgrade => 'DELETE FROM l1_table', replace => true);
CALL ender_upgrade_logged();
CALL ender_downgrade_logged('base');
SELECT revision, operation, outcome FROM ender_history() ORDER BY id;

-- It commits, so it cannot run inside a transaction block.
BEGIN;
CALL ender_upgrade_logged();
:sqlstate
ROLLBACK;
SELECT count(*) AS log_rows FROM ender.log;

DROP EXTENSION ender;
