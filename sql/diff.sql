-- ender_diff and ender_check: the steps from the live schema to a target snapshot.
-- (Convergence over many schema pairs is tested by test/diff/run.sh.)
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

CREATE TABLE team (id int PRIMARY KEY, name text);
CREATE VIEW team_names AS SELECT id, name FROM team;
CREATE TEMP TABLE before AS SELECT ender_snapshot() AS doc;
-- The target: a new table with keys, an index, a retyped column under a view, NOT NULL.
CREATE TABLE hero (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                   team_id int REFERENCES team ON DELETE CASCADE, name text NOT NULL DEFAULT 'x');
CREATE INDEX hero_name ON hero (lower(name));
DROP VIEW team_names;
ALTER TABLE team ALTER name TYPE varchar(100), ALTER name SET NOT NULL;
CREATE VIEW team_names AS SELECT id, name FROM team;
CREATE TEMP TABLE after AS SELECT ender_snapshot() AS doc;

SELECT ender_check(doc) AS at_target FROM after;
SELECT count(*) AS steps FROM after, ender_diff(doc);

-- Back in the "before" shape, the diff to "after": online forms by default.
DROP TABLE hero;
DROP VIEW team_names;
ALTER TABLE team ALTER name TYPE text, ALTER name DROP NOT NULL;
CREATE VIEW team_names AS SELECT id, name FROM team;
SELECT ender_check(doc) AS at_before FROM before;
SELECT step, sql, hazards, in_transaction FROM after, ender_diff(doc);
-- The plain transactional forms, on request.
SELECT step, sql, in_transaction FROM after, ender_diff(doc, online => false) WHERE object_kind IN ('index', 'column');
-- Every step has its reverse where one exists.
SELECT step, reverse_sql FROM after, ender_diff(doc) WHERE reverse_sql IS NOT NULL ORDER BY step DESC;

-- Applying the steps reaches the target.
DO $$
DECLARE s record;
BEGIN
    FOR s IN SELECT d.sql FROM after, ender_diff(after.doc, online => false) d ORDER BY d.step LOOP
        EXECUTE s.sql;
    END LOOP;
END $$;
SELECT ender_check(doc) AS converged FROM after;
SELECT count(*) AS steps_left FROM after, ender_diff(doc);

-- An enum whose labels are removed or reordered is rebuilt, its columns recast.
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
ALTER TABLE hero ADD feeling mood DEFAULT 'ok';
CREATE TEMP TABLE with_enum AS SELECT ender_snapshot() AS doc;
ALTER TABLE hero DROP feeling;
DROP TYPE mood;
CREATE TYPE mood AS ENUM ('happy', 'ok');
ALTER TABLE hero ADD feeling mood DEFAULT 'ok';
SELECT step, sql, hazards FROM with_enum, ender_diff(doc);

-- Changes the diff cannot make yet are refused, never guessed.
CREATE DOMAIN code AS int;
CREATE TEMP TABLE with_domain AS SELECT ender_snapshot() AS doc;
DROP DOMAIN code;
CREATE DOMAIN code AS bigint;
SELECT * FROM with_domain, ender_diff(doc);
:sqlstate
DROP DOMAIN code;

-- Malformed documents name the path of the problem.
SELECT * FROM ender_diff('{"format": "ender-snapshot", "version": 2}');
:sqlstate
SELECT * FROM ender_diff('{"format": "nope"}');
:sqlstate
SELECT * FROM ender_diff(jsonb_set((SELECT doc FROM after), '{tables,0,columns,0,type}', '42'));
:sqlstate
SELECT * FROM ender_diff((SELECT doc FROM after) - 'views');
:sqlstate
SELECT * FROM ender_diff('[]');
:sqlstate
SELECT * FROM ender_diff(NULL);
:sqlstate

DROP VIEW team_names;
DROP TABLE hero, team;
DROP TYPE mood;
DROP EXTENSION ender;
