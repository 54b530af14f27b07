-- Privileges: anyone may read the migration state; changing the schema through ender needs
-- membership in ender_admin (or superuser).
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

CREATE ROLE ender_regress_plain;
CREATE ROLE ender_regress_admin IN ROLE ender_admin;
GRANT CREATE ON SCHEMA public TO ender_regress_admin;
SELECT ender_register(id => 'p1', parents => '{}', upgrade => 'CREATE TABLE owned_by_admin (id int)',
                      downgrade => 'DROP TABLE owned_by_admin');

SET ROLE ender_regress_plain;
SELECT * FROM ender_current();
SELECT * FROM ender_heads();
SELECT count(*) FROM ender_history();
SELECT id FROM ender_show('p1');
SELECT ender_register(id => 'p2', parents => '{p1}', upgrade => 'SELECT 1');
:sqlstate
SELECT * FROM ender_upgrade();
:sqlstate
SELECT * FROM ender_downgrade('base');
:sqlstate
SELECT * FROM ender_stamp('heads');
:sqlstate
CALL ender_upgrade_logged();
:sqlstate
SELECT * FROM ender_register_many('{}');
:sqlstate
INSERT INTO ender.applied VALUES ('p1', 1, now(), current_user);
:sqlstate
UPDATE ender.state SET generation = 0;
:sqlstate
RESET ROLE;

SET ROLE ender_regress_admin;
SELECT ender_register(id => 'p2', parents => '{p1}', upgrade => 'INSERT INTO owned_by_admin VALUES (2)',
                      downgrade => 'DELETE FROM owned_by_admin');
SELECT * FROM ender_upgrade();
SELECT * FROM ender_current();
SELECT tableowner FROM pg_tables WHERE tablename = 'owned_by_admin';
-- The migration runs with the caller's own privileges, not ender's.
SELECT ender_register(id => 'p3', parents => '{p2}', upgrade => 'ALTER SYSTEM SET work_mem = ''1MB''');
:sqlstate
SELECT ender_register(id => 'p3', parents => '{p2}', upgrade => 'CREATE ROLE made_by_migration');
SELECT * FROM ender_upgrade();
:sqlstate
DELETE FROM ender.state;
:sqlstate
DELETE FROM ender.revision;
:sqlstate
SELECT * FROM ender_downgrade('base');
RESET ROLE;

DROP EXTENSION ender;
REVOKE CREATE ON SCHEMA public FROM ender_regress_admin;
DROP ROLE ender_regress_plain, ender_regress_admin;
