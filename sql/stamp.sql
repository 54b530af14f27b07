-- ender_stamp: set the applied position without running any SQL, e.g. to adopt a database
-- whose schema already exists.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

-- The database already has the table the first revision would create.
CREATE TABLE customer (id bigint PRIMARY KEY);
SELECT ender_register(id => 's1', parents => '{}', upgrade => 'CREATE TABLE customer (id bigint PRIMARY KEY)',
                      downgrade => 'DROP TABLE customer');
SELECT ender_register(id => 's2', parents => '{s1}', upgrade => 'ALTER TABLE customer ADD email text',
                      downgrade => 'ALTER TABLE customer DROP email');
SELECT * FROM ender_upgrade();
:sqlstate
SELECT * FROM ender_stamp('s1');
SELECT * FROM ender_upgrade();
SELECT column_name FROM information_schema.columns WHERE table_name = 'customer' ORDER BY 1;
SELECT revision, operation, stamped, outcome, statements FROM ender_history() ORDER BY id;

-- Stamping moves both ways and runs nothing.
SELECT * FROM ender_stamp('base');
SELECT * FROM ender_current();
SELECT to_regclass('customer') IS NOT NULL AS customer_still_there;
SELECT * FROM ender_stamp('heads');
SELECT * FROM ender_current();
SELECT * FROM ender_stamp('-1');
SELECT * FROM ender_stamp('+1');
SELECT revision, operation, stamped FROM ender_history() WHERE stamped ORDER BY id;

SELECT * FROM ender_stamp('s3');
:sqlstate
SELECT * FROM ender_stamp(NULL);

DROP TABLE customer;
DROP EXTENSION ender;
