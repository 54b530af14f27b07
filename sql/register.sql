-- ender_register: migration files, the structured form, checksums, replace and drift.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

-- A migration file: header directives, then the upgrade and downgrade sections.
SELECT ender_register($m$
-- ender:revision 1a2b3c4d5e6f
-- ender:message create team
-- any other comment in the header is fine
-- ender:upgrade
CREATE TABLE team (id bigint PRIMARY KEY, name text NOT NULL);
-- ender:downgrade
DROP TABLE team;
$m$);

-- The structured form, with named arguments.
SELECT ender_register(id => '2b3c4d5e6f70', parents => ARRAY['1a2b3c4d5e6f'],
                      upgrade => 'ALTER TABLE team ADD COLUMN city text',
                      downgrade => 'ALTER TABLE team DROP COLUMN city',
                      message => 'add city');

SELECT id, parents, message, upgrade, downgrade, length(checksum) AS checksum_length,
       source IS NOT NULL AS from_file
  FROM ender_show('heads');
SELECT count(*) FROM ender.revision;

-- Registering identical content again is a no-op, whichever form is used.
SELECT ender_register(id => '1a2b3c4d5e6f', parents => '{}',
                      upgrade => 'CREATE TABLE team (id bigint PRIMARY KEY, name text NOT NULL);',
                      downgrade => 'DROP TABLE team;', message => 'create team');
SELECT ender_register(id => '2b3c4d5e6f70', parents => ARRAY['1a2b3c4d5e6f'],
                      upgrade => 'ALTER TABLE team ADD COLUMN city text',
                      downgrade => 'ALTER TABLE team DROP COLUMN city',
                      message => 'add city');
SELECT count(*) FROM ender.revision;

-- Different content under the id of a pending revision needs replace => true.
SELECT ender_register(id => '2b3c4d5e6f70', parents => ARRAY['1a2b3c4d5e6f'],
                      upgrade => 'ALTER TABLE team ADD COLUMN town text');
:sqlstate
SELECT ender_register(id => '2b3c4d5e6f70', parents => ARRAY['1a2b3c4d5e6f'],
                      upgrade => 'ALTER TABLE team ADD COLUMN town text',
                      downgrade => 'ALTER TABLE team DROP COLUMN town', message => 'add town',
                      replace => true);
SELECT upgrade, message FROM ender_show('2b3c4d5e6f70');

-- Different content under the id of an applied revision is drift: always an error.
SELECT * FROM ender_upgrade();
SELECT ender_register($m$
-- ender:revision 1a2b3c4d5e6f
-- ender:message create team (edited after it was applied)
-- ender:upgrade
CREATE TABLE team (id bigint PRIMARY KEY, name text NOT NULL, country text);
$m$, replace => true);
:sqlstate

-- Several files in one call (what the CLI sends): all or nothing.
SELECT * FROM ender_register_many(ARRAY[
$m$-- ender:revision 3c4d5e6f7081
-- ender:parents 2b3c4d5e6f70
-- ender:upgrade
CREATE TABLE hero (id bigint PRIMARY KEY, team_id bigint REFERENCES team);
$m$,
$m$-- ender:revision 4d5e6f708192
-- ender:parents 3c4d5e6f7081
-- ender:branch heroes
-- ender:upgrade
CREATE INDEX hero_team_id ON hero (team_id);
$m$]);
SELECT * FROM ender_register_many(ARRAY[
$m$-- ender:revision 5e6f708192a3
-- ender:parents 4d5e6f708192
-- ender:upgrade
SELECT 1;
$m$,
$m$-- ender:revision 6f708192a3b4
-- ender:parents missing000000
-- ender:upgrade
SELECT 1;
$m$]);
:sqlstate
SELECT count(*) FROM ender.revision WHERE id = '5e6f708192a3';
SELECT * FROM ender_register_many(ARRAY[
$m$-- ender:revision 5e6f708192a3
-- ender:parents 4d5e6f708192
-- ender:upgrade
SELECT 1;
$m$,
$m$-- ender:revision 6f708192a3b4
-- ender:parents 5e6f708192a3
-- ender:message the next line is not a directive
ender:upgrade
SELECT 1;
$m$]);
:sqlstate
SELECT * FROM ender_register_many(NULL);
:sqlstate
SELECT count(*) FROM ender_register_many('{}');

-- Invalid input: every case is refused with a clear error and registers nothing.
SELECT ender_register(id => 'abc', parents => ARRAY['nothere'], upgrade => 'SELECT 1');
:sqlstate
SELECT ender_register(id => 'self', parents => ARRAY['self'], upgrade => 'SELECT 1');
:sqlstate
SELECT ender_register(id => 'dup', parents => ARRAY['1a2b3c4d5e6f', '1a2b3c4d5e6f'], upgrade => 'SELECT 1');
:sqlstate
SELECT ender_register(id => 'bad-id', parents => '{}', upgrade => 'SELECT 1');
:sqlstate
SELECT ender_register(id => 'heads', parents => '{}', upgrade => 'SELECT 1');
:sqlstate
SELECT ender_register(id => repeat('x', 65), parents => '{}', upgrade => 'SELECT 1');
:sqlstate
SELECT ender_register(id => NULL, parents => '{}', upgrade => 'SELECT 1');
:sqlstate
SELECT ender_register(id => 'noupgrade', parents => '{}', upgrade => NULL);
:sqlstate
SELECT ender_register(id => 'nullparent', parents => ARRAY[NULL], upgrade => 'SELECT 1');
:sqlstate
SELECT ender_register(id => 'labelclash', parents => ARRAY['4d5e6f708192'], upgrade => 'SELECT 1',
                      branch_label => 'heroes');
:sqlstate
SELECT ender_register(id => 'labelisid', parents => ARRAY['4d5e6f708192'], upgrade => 'SELECT 1',
                      branch_label => '1a2b3c4d5e6f');
:sqlstate
-- A cycle can only arise by replacing a pending revision's parents.
SELECT ender_register(id => '3c4d5e6f7081', parents => ARRAY['4d5e6f708192'],
                      upgrade => 'SELECT 1', replace => true);
:sqlstate
-- SQL is parsed by the server's grammar at registration time.
SELECT ender_register(id => 'syntax', parents => ARRAY['4d5e6f708192'],
                      upgrade => E'CREATE TABLE ok (id int);\nCREATE TABEL broken (id int);');
:sqlstate
SELECT ender_register(id => 'concurrently', parents => ARRAY['4d5e6f708192'],
                      upgrade => E'SELECT 1;\nCREATE INDEX CONCURRENTLY hero_id ON hero (id);');
:sqlstate
SELECT ender_register(id => 'commits', parents => ARRAY['4d5e6f708192'],
                      upgrade => 'CREATE TABLE x (id int); COMMIT;');
:sqlstate
SELECT ender_register(id => 'vacuums', parents => ARRAY['4d5e6f708192'],
                      upgrade => 'SELECT 1', downgrade => 'VACUUM hero');
:sqlstate
-- Malformed migration files.
SELECT ender_register('CREATE TABLE t (id int);');
:sqlstate
SELECT ender_register(E'-- ender:revision nosection\nCREATE TABLE t (id int);');
:sqlstate
SELECT ender_register(E'-- ender:revision x1\n-- ender:upgrade\nSELECT 1;\n-- ender:message late');
:sqlstate
SELECT ender_register(E'-- ender:revision x1\n-- ender:colour blue\n-- ender:upgrade\nSELECT 1;');
:sqlstate
SELECT ender_register(E'-- ender:revision x1\n-- ender:upgrade\nSELECT 1;\n-- ender:upgrade\nSELECT 2;');
:sqlstate
SELECT ender_register(E'-- ender:revision x1 x2\n-- ender:upgrade\nSELECT 1;');
:sqlstate
SELECT ender_register(NULL);
SELECT count(*) FROM ender.revision;

DROP TABLE team;
DROP EXTENSION ender;
