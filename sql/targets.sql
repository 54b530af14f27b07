-- Targets as Alembic accepts them: heads, head, base, ids, unique prefixes, labels,
-- label@head, +N, -N, id+N, id-N. ender_resolve shows what a target names.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

-- Nothing registered yet: an unknown revision is still an error.
SELECT id FROM ender_show('nosuch');
:sqlstate

-- base -> ae10 -> ae20 -> ae30 (label main) -> ae40 -> merge ae60 <- bf50 <- ae20
--                                   (branch)    bf50 has label side
SELECT ender_register(id => 'ae10', parents => '{}', upgrade => 'SELECT 1', downgrade => '');
SELECT ender_register(id => 'ae20', parents => '{ae10}', upgrade => 'SELECT 1', downgrade => '');
SELECT ender_register(id => 'ae30', parents => '{ae20}', upgrade => 'SELECT 1', downgrade => '',
                      branch_label => 'main');
SELECT ender_register(id => 'ae40', parents => '{ae30}', upgrade => 'SELECT 1', downgrade => '');
SELECT ender_register(id => 'bf50', parents => '{ae20}', upgrade => 'SELECT 1', downgrade => '',
                      branch_label => 'side');

SELECT * FROM ender_heads();
SELECT * FROM ender_branches();
SELECT * FROM ender_resolve('heads');
SELECT * FROM ender_resolve('base');
SELECT * FROM ender_resolve('ae30');
SELECT * FROM ender_resolve('ae3');
SELECT * FROM ender_resolve('b');
SELECT * FROM ender_resolve('main');
SELECT * FROM ender_resolve('main@head');
SELECT * FROM ender_resolve('ae10@heads');
SELECT * FROM ender_resolve('ae10+1');
SELECT * FROM ender_resolve('ae40-2');
SELECT * FROM ender_resolve('ae10-1');

-- Ambiguous or unknown targets say why and what to do.
SELECT * FROM ender_resolve('head');
:sqlstate
SELECT * FROM ender_resolve('ae');
:sqlstate
SELECT * FROM ender_resolve('zz');
:sqlstate
SELECT * FROM ender_resolve('ae10@head');
:sqlstate
SELECT * FROM ender_resolve('ae20+1');
:sqlstate
SELECT * FROM ender_resolve('ae40+1');
:sqlstate
SELECT * FROM ender_resolve('ae10-2');
:sqlstate
SELECT * FROM ender_resolve('+0');
:sqlstate
SELECT * FROM ender_resolve('ae10+x');
:sqlstate
SELECT * FROM ender_resolve('a b');
:sqlstate
SELECT * FROM ender_resolve('+99999999999');
:sqlstate

-- Relative targets move from the current position.
SELECT * FROM ender_upgrade('+1');
SELECT * FROM ender_upgrade('+1');
SELECT * FROM ender_upgrade('+1');
:sqlstate
SELECT * FROM ender_upgrade('main');
SELECT * FROM ender_upgrade('main@head');
SELECT * FROM ender_current();
SELECT * FROM ender_upgrade('side@head');
SELECT * FROM ender_current();
SELECT * FROM ender_resolve('+1');
:sqlstate
SELECT * FROM ender_resolve('-1');
SELECT * FROM ender_resolve('ae40-1');

-- Once merged, "head" is one revision again.
SELECT ender_merge('c060', 'merge main and side');
SELECT id, parents, upgrade, downgrade, message FROM ender_show('c060');
SELECT * FROM ender_heads();
SELECT ender_merge('c070');
:sqlstate
SELECT * FROM ender_branches();
SELECT * FROM ender_upgrade('head');
SELECT * FROM ender_current();
SELECT * FROM ender_resolve('c060-1');
:sqlstate
SELECT * FROM ender_downgrade('-1');
SELECT * FROM ender_current();
SELECT * FROM ender_upgrade('+1');
SELECT * FROM ender_downgrade('ae20');
SELECT * FROM ender_current();

DROP EXTENSION ender;
