-- ender_diff's online_operation column: the "-- ender:online" line that makes a step's change
-- online, for each kind the diff plans (docs/zero-downtime.md), and NULL for the rest.
CREATE EXTENSION ender;
CREATE TABLE team (id int PRIMARY KEY, name text);
CREATE TABLE hero (id bigint PRIMARY KEY, name text, team_id int, score int);
CREATE INDEX hero_team ON hero (team_id);
CREATE TEMP TABLE before AS SELECT ender_snapshot() AS doc;
-- The target: every change that has an online form, and one that has none (a new table, with
-- its index).
ALTER TABLE hero ALTER score TYPE bigint;
ALTER TABLE hero RENAME name TO moniker;
ALTER TABLE hero ALTER moniker SET NOT NULL;
ALTER TABLE hero ADD token uuid NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE hero ADD rank int NOT NULL;
ALTER TABLE hero ADD level int NOT NULL DEFAULT 1;
-- now() is stable (pg_proc.provolatile): ADD COLUMN does not rewrite, no online form.
ALTER TABLE hero ADD seen timestamptz NOT NULL DEFAULT now();
ALTER TABLE team ADD CONSTRAINT team_name_key UNIQUE (name);
ALTER TABLE hero ADD CONSTRAINT hero_score_check CHECK (score >= 0);
ALTER TABLE hero ADD CONSTRAINT hero_team_fkey FOREIGN KEY (team_id) REFERENCES team
    ON UPDATE CASCADE ON DELETE SET NULL;
CREATE TABLE sidekick (id int PRIMARY KEY, hero_id bigint REFERENCES hero);
CREATE INDEX sidekick_hero ON sidekick (hero_id);
DROP INDEX hero_team;
CREATE INDEX hero_team_live ON hero (team_id) INCLUDE (id) WHERE team_id IS NOT NULL;
CREATE INDEX hero_has_team ON hero (id) WHERE team_id > 0;
-- The rename is declared, never guessed.
CREATE TEMP TABLE after AS
    SELECT jsonb_set(ender_snapshot(), '{tables,0,columns,1,renamed_from}', '"name"') AS doc;
SELECT t->>'name' AS "table", c->>'name' AS "column", c->>'renamed_from' AS renamed_from
  FROM after, jsonb_array_elements(doc->'tables') t, jsonb_array_elements(t->'columns') c
 WHERE c ? 'renamed_from';
DROP TABLE sidekick, hero, team;
CREATE TABLE team (id int PRIMARY KEY, name text);
CREATE TABLE hero (id bigint PRIMARY KEY, name text, team_id int, score int);
CREATE INDEX hero_team ON hero (team_id);
SELECT ender_check(doc) AS at_before FROM before;

-- Online forms (the default): a change in several steps carries its operation on each.
SELECT step, object_kind, object_name, online_operation FROM after, ender_diff(doc) ORDER BY step;
-- The plain forms carry the same operations, one step each.
SELECT step, online_operation FROM after, ender_diff(doc, online => false)
 WHERE online_operation IS NOT NULL ORDER BY step;

-- Each line is one the migration-file parser accepts: registered in a subtransaction that is
-- undone.
CREATE FUNCTION pg_temp.registers(line text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    PERFORM ender_register(E'-- ender:revision probe\n-- ender:online ' || line || E'\n-- ender:upgrade\n');
    RAISE SQLSTATE 'EN001';
EXCEPTION
    WHEN SQLSTATE 'EN001' THEN RETURN 'accepted';
    WHEN OTHERS THEN RETURN SQLSTATE || ' ' || SQLERRM;
END $$;
SELECT split_part(line, ' ', 1) AS kind, pg_temp.registers(line) AS parsed
  FROM (SELECT DISTINCT online_operation AS line FROM after, ender_diff(doc)
         WHERE online_operation IS NOT NULL) l ORDER BY kind;

DROP TABLE hero, team;
DROP EXTENSION ender;
