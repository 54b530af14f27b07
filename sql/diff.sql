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

-- Renames are declared, never guessed: "renamed_from" in the target gives ALTER ... RENAME
-- (the data stays), and can come with other changes of the same object. The view over the
-- renamed column follows the rename in PostgreSQL, so it is not rebuilt.
CREATE FUNCTION pg_temp.renamed(doc jsonb, tbl text, old text, col text DEFAULT NULL, old_col text DEFAULT NULL)
    RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_set(doc, '{tables}', (
        SELECT jsonb_agg(CASE WHEN t->>'name' <> tbl THEN t
                              WHEN col IS NULL THEN t || jsonb_build_object('renamed_from', old)
                              ELSE jsonb_set(t, '{columns}', (
                                  SELECT jsonb_agg(CASE WHEN c->>'name' = col THEN c || jsonb_build_object('renamed_from', old_col)
                                                        ELSE c END ORDER BY j)
                                    FROM jsonb_array_elements(t->'columns') WITH ORDINALITY y(c, j))) END ORDER BY i)
          FROM jsonb_array_elements(doc->'tables') WITH ORDINALITY x(t, i)))
    $$;
CREATE TABLE villain (id int PRIMARY KEY, alias text, rank int);
CREATE VIEW villain_aliases AS SELECT alias FROM villain;
INSERT INTO villain VALUES (1, 'Dr. Weird', 3);
-- The target: villain renamed to baddie, alias to nick (under the view), rank to level, a new
-- column. (A rename with a type change: test/diff/pairs/rename_column_and_type.)
ALTER TABLE villain RENAME TO baddie;
ALTER TABLE baddie RENAME alias TO nick;
ALTER TABLE baddie RENAME rank TO level;
ALTER TABLE baddie ADD power text;
CREATE TEMP TABLE renamed AS
    SELECT s AS plain,
           pg_temp.renamed(pg_temp.renamed(pg_temp.renamed(s, 'baddie', 'villain'), 'baddie', NULL, 'nick', 'alias'),
                           'baddie', NULL, 'level', 'rank') AS doc
      FROM ender_snapshot() s;
ALTER TABLE baddie DROP power;
ALTER TABLE baddie RENAME level TO rank;
ALTER TABLE baddie RENAME nick TO alias;
ALTER TABLE baddie RENAME TO villain;
SELECT step, sql, reverse_sql, object_kind, hazards FROM renamed, ender_diff(doc);
-- ender_diff tried the renames in a subtransaction and rolled them back.
SELECT to_regclass('villain') AS villain, to_regclass('baddie') AS baddie;
-- Without renamed_from the same change drops the data.
SELECT step, sql, hazards FROM renamed, ender_diff(plain) WHERE 'deletes_data' = ANY (hazards);
DO $$
DECLARE s record;
BEGIN
    FOR s IN SELECT d.sql FROM renamed, ender_diff(renamed.doc) d ORDER BY d.step LOOP
        EXECUTE s.sql;
    END LOOP;
END $$;
-- Applied, the renames are nothing more to do: the same document converges.
SELECT ender_check(doc) AS converged, (SELECT count(*) FROM ender_diff(doc)) AS steps_left FROM renamed;
SELECT * FROM baddie;
SELECT * FROM villain_aliases;
-- An old name that exists nowhere is an error naming the path; so is swapping two names.
SELECT * FROM ender_diff(jsonb_set(pg_temp.renamed((SELECT doc FROM renamed), 'baddie', 'nobody'),
                                   '{tables,0,name}', '"nemesis"'));
:sqlstate
SELECT * FROM ender_diff(jsonb_set(jsonb_set((SELECT doc FROM renamed), '{tables,0,columns,1,name}', '"moniker"'),
                                   '{tables,0,columns,1,renamed_from}', '"ghost"'));
:sqlstate
SELECT * FROM ender_diff(pg_temp.renamed(pg_temp.renamed((SELECT doc FROM renamed), 'baddie', 'hero'), 'hero', 'baddie'));
:sqlstate
SELECT * FROM ender_diff(jsonb_set((SELECT doc FROM renamed), '{tables,0,renamed_from}', '42'));
:sqlstate
DROP VIEW villain_aliases;
DROP TABLE baddie;

-- Privileges, when the target lists them ("privileges": true, from ender_snapshot(privileges
-- => true)): GRANT and REVOKE, each with its reverse.
GRANT SELECT ON team TO pg_monitor;
GRANT UPDATE (name) ON team TO pg_read_all_data WITH GRANT OPTION;
CREATE TEMP TABLE granted AS SELECT ender_snapshot(privileges => true) AS doc;
REVOKE SELECT ON team FROM pg_monitor;
GRANT INSERT ON team TO pg_monitor;
REVOKE UPDATE (name) ON team FROM pg_read_all_data;
SELECT step, sql, reverse_sql, object_kind, object_name, hazards FROM granted, ender_diff(doc);
-- A target without privileges does not look at them.
SELECT ender_check(doc - 'privileges') AS same_without_privileges, ender_check(doc) AS same_with_privileges FROM granted;
DO $$
DECLARE s record;
BEGIN
    FOR s IN SELECT d.sql FROM granted, ender_diff(granted.doc) d ORDER BY d.step LOOP
        EXECUTE s.sql;
    END LOOP;
END $$;
SELECT ender_check(doc) AS converged FROM granted;
SELECT relacl FROM pg_class WHERE oid = 'team'::regclass;
-- A role that does not exist fails when the step runs, not in the diff.
SELECT sql FROM granted, ender_diff(jsonb_set(doc, '{tables,1,privileges,0,grantee}', '"nosuchrole"'))
 WHERE sql LIKE 'GRANT%';
REVOKE ALL ON team FROM pg_monitor, pg_read_all_data;
REVOKE UPDATE (name) ON team FROM pg_read_all_data;

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
-- The jsonb form is read from the jsonb value itself: the same errors as the text form.
SELECT * FROM ender_diff('[]'::jsonb);
:sqlstate
SELECT * FROM ender_diff('"x"'::jsonb);
:sqlstate
SELECT * FROM ender_diff('{"format": "ender-snapshot", "version": 1.0}'::jsonb);
:sqlstate
SELECT * FROM ender_diff('{"format": "ender-snapshot", "version": 1.0}'::text);
:sqlstate
SELECT * FROM ender_diff('{"format": "ender-snapshot", "version": 18446744073709551615}'::jsonb);
:sqlstate
SELECT * FROM ender_diff('{"format": "ender-snapshot", "version": 18446744073709551615}'::text);
:sqlstate
SELECT * FROM ender_diff(jsonb_set((SELECT doc FROM after), '{tables,0,columns,1}', '{"name": "x"}'));
:sqlstate
SELECT * FROM ender_diff(jsonb_set((SELECT doc FROM after), '{tables,0,columns,1}', '{"name": "x"}')::text);
:sqlstate
SELECT * FROM ender_diff(NULL::jsonb);
:sqlstate
SELECT ender_check(NULL::jsonb);
:sqlstate

DROP VIEW team_names;
DROP TABLE hero, team;
DROP TYPE mood;
DROP EXTENSION ender;
