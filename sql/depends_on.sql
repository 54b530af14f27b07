-- depends_on: a revision that needs another branch's revision applied first, without merging.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

SELECT ender_register(id => 'core1', parents => '{}', upgrade => 'CREATE TABLE account (id int PRIMARY KEY)',
                      downgrade => 'DROP TABLE account', branch_label => 'core');
SELECT ender_register(id => 'bill1', parents => '{}', upgrade => 'CREATE SCHEMA billing',
                      downgrade => 'DROP SCHEMA billing', branch_label => 'billing');
SELECT ender_register(id => 'bill2', parents => '{bill1}', depends_on => '{core1}',
                      upgrade => 'CREATE TABLE billing.invoice (account_id int REFERENCES account)',
                      downgrade => 'DROP TABLE billing.invoice');
SELECT * FROM ender_heads();
-- Upgrading the billing branch pulls in its dependency on the core branch.
SELECT * FROM ender_upgrade('billing@head');
SELECT * FROM ender_current();
-- Undoing the dependency undoes what depends on it.
SELECT * FROM ender_downgrade('base');
SELECT * FROM ender_upgrade('heads');
SELECT * FROM ender_downgrade('bill1');
SELECT * FROM ender_current();
SELECT id, parents, children, depends_on, applied, is_head, is_current, upgrade FROM ender_show('bill2');
SELECT ender_register(id => 'bad', parents => '{bill2}', depends_on => '{nothere}', upgrade => 'SELECT 1');
:sqlstate
SELECT ender_register(id => 'bad', parents => '{bill2}', depends_on => '{bill2}', upgrade => 'SELECT 1');
:sqlstate
SELECT * FROM ender_downgrade('base');
DROP EXTENSION ender;
