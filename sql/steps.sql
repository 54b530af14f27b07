-- C++ data steps ("-- ender:step"): a revision that names one runs only when the caller runs the
-- step (ender's client library names it in ender.client_step_revision); plain SQL callers are
-- refused, and nothing runs.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

SELECT ender_register($m$
-- ender:revision s1
-- ender:upgrade
CREATE TABLE s_account (id int PRIMARY KEY, email text);
INSERT INTO s_account VALUES (1, NULL);
-- ender:downgrade
DROP TABLE s_account;
$m$);
SELECT ender_register($m$
-- ender:revision s2
-- ender:parents s1
-- ender:step backfill_emails
-- ender:upgrade
CREATE TABLE s_backfill (id int);
-- ender:downgrade
DROP TABLE s_backfill;
$m$);
SELECT id, step FROM ender.revision ORDER BY seq;

-- ender_upgrade runs SQL only: it refuses the revision with a step, and applies nothing.
SELECT * FROM ender_upgrade();
:sqlstate
SELECT * FROM ender_current();

-- The client names the revision whose step it runs, in the transaction that runs it.
BEGIN;
SELECT * FROM ender_upgrade('s1');
SELECT set_config('ender.client_step_revision', 's2', true);
SELECT * FROM ender_upgrade('s2');
UPDATE s_account SET email = 'a@example.com';  -- the step, as the client would run it
COMMIT;
SHOW ender.client_step_revision;
SELECT * FROM ender_current();

-- The same for a downgrade; the setting names one revision only.
SELECT * FROM ender_downgrade('base');
:sqlstate
BEGIN;
SELECT set_config('ender.client_step_revision', 's2', true);
SELECT * FROM ender_downgrade('s1');
COMMIT;
SELECT * FROM ender_current();

-- The step is part of the checksum: an applied revision whose step changed is drift.
BEGIN;
SELECT set_config('ender.client_step_revision', 's2', true);
SELECT * FROM ender_upgrade('s2');
COMMIT;
SELECT ender_register($m$
-- ender:revision s2
-- ender:parents s1
-- ender:step fill_emails
-- ender:upgrade
CREATE TABLE s_backfill (id int);
-- ender:downgrade
DROP TABLE s_backfill;
$m$, replace => true);
:sqlstate

-- Invalid: a step with no name, two names, a bad name, a step on an online revision.
SELECT ender_register(E'-- ender:revision s3\n-- ender:step\n-- ender:upgrade\nSELECT 1;');
:sqlstate
SELECT ender_register(E'-- ender:revision s3\n-- ender:step a, b\n-- ender:upgrade\nSELECT 1;');
:sqlstate
SELECT ender_register(E'-- ender:revision s3\n-- ender:step fill-emails\n-- ender:upgrade\nSELECT 1;');
:sqlstate
SELECT ender_register(E'-- ender:revision s3\n-- ender:step a\n-- ender:online alter_column s_account email type varchar using (email) down (email)\n-- ender:upgrade\n');
:sqlstate

DROP TABLE s_backfill, s_account;
DROP EXTENSION ender;
