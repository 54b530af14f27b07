-- ender_hazards: what each statement of migration SQL may do to a running database, read from
-- the parse tree.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

SELECT statement, line, sql, hazards FROM ender_hazards($$
CREATE TABLE league (id bigint PRIMARY KEY, name text);
-- a comment before the statement
/* and a block comment */
ALTER TABLE team ADD COLUMN code text;
ALTER TABLE team ADD COLUMN rank int NOT NULL;
ALTER TABLE team ADD COLUMN score int NOT NULL DEFAULT 0;
ALTER TABLE team ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE team ALTER COLUMN name TYPE varchar(40);
ALTER TABLE team ALTER COLUMN name SET NOT NULL;
ALTER TABLE team DROP COLUMN code;
ALTER TABLE team ADD CONSTRAINT positive CHECK (score >= 0);
ALTER TABLE team ADD CONSTRAINT positive2 CHECK (score >= 0) NOT VALID;
ALTER TABLE team VALIDATE CONSTRAINT positive2;
ALTER TABLE team ADD CONSTRAINT team_name UNIQUE (name);
ALTER TABLE team ADD CONSTRAINT team_name2 UNIQUE USING INDEX team_name_idx;
ALTER TABLE hero ADD CONSTRAINT hero_team FOREIGN KEY (team_id) REFERENCES team;
ALTER TABLE hero ADD CONSTRAINT hero_team2 FOREIGN KEY (team_id) REFERENCES team NOT VALID;
ALTER TABLE team ALTER COLUMN score SET DEFAULT 1;
ALTER TABLE team SET LOGGED;
CREATE INDEX team_score ON team (score);
CREATE UNIQUE INDEX CONCURRENTLY team_code ON team (code);
DROP INDEX team_score;
DROP TABLE old_team;
DROP VIEW v;
DROP FUNCTION f() CASCADE;
TRUNCATE team;
DELETE FROM team WHERE id < 0;
UPDATE team SET score = 0;
INSERT INTO team VALUES (1, 'x');
ALTER TABLE team RENAME TO squad;
GRANT SELECT ON squad TO PUBLIC;
ALTER TABLE squad OWNER TO CURRENT_USER;
VACUUM FULL squad;
CLUSTER squad USING squad_pkey;
CREATE VIEW v AS SELECT 1
$$);

-- No statement: no row. Bad input: the parser's own error, and NULL.
SELECT count(*) FROM ender_hazards('');
SELECT count(*) FROM ender_hazards('-- only a comment');
SELECT * FROM ender_hazards('ALTER TABLE');
:sqlstate
SELECT * FROM ender_hazards(NULL);
:sqlstate

-- On a table the same SQL created (and did not fill), nothing can fail on existing rows; once
-- rows are inserted, it can.
SELECT statement, hazards FROM ender_hazards($$
CREATE TABLE fresh (id int, code text);
ALTER TABLE fresh ADD CONSTRAINT fresh_code UNIQUE (code);
CREATE UNIQUE INDEX fresh_id ON fresh (id);
ALTER TABLE public.fresh ADD COLUMN n int NOT NULL;
ALTER TABLE fresh ADD CONSTRAINT fresh_team FOREIGN KEY (id) REFERENCES team;
INSERT INTO fresh VALUES (1, 'a', 1);
CREATE UNIQUE INDEX fresh_n ON fresh (n);
ALTER TABLE fresh ADD CONSTRAINT fresh_positive CHECK (n > 0)
$$);

-- One classifier: ender_diff's hazards are ender_hazards' for the same SQL. A schema changed
-- the ways a migration usually changes one, and the diff back to it; each step's SQL goes
-- through ender_hazards in order (a table the diff creates is new to both). A plain index on an
-- existing table takes SHARE (blocks_writes: writes wait, reads go on) and a unique one can fail
-- on duplicates; a foreign key takes SHARE ROW EXCLUSIVE on both tables (blocks_writes, from a new
-- table too when the table it references exists) and can fail on orphans; neither takes
-- ACCESS EXCLUSIVE.
CREATE SCHEMA hz;
CREATE TABLE hz.team (id bigint PRIMARY KEY, name text, code text);
CREATE TABLE hz.hero (id bigint PRIMARY KEY, team_id bigint, name text, nickname text);
BEGIN;
CREATE UNIQUE INDEX team_code ON hz.team (code);
CREATE INDEX hero_name ON hz.hero (name);
ALTER TABLE hz.hero ADD CONSTRAINT hero_team FOREIGN KEY (team_id) REFERENCES hz.team;
ALTER TABLE hz.hero ADD CONSTRAINT hero_name_key UNIQUE (name);
ALTER TABLE hz.team ADD COLUMN score int NOT NULL DEFAULT 0;
ALTER TABLE hz.team ALTER COLUMN name TYPE varchar(40);
ALTER TABLE hz.hero DROP COLUMN nickname;
CREATE TABLE hz.league (id bigint PRIMARY KEY, team_id bigint REFERENCES hz.team, code text);
CREATE UNIQUE INDEX league_code ON hz.league (code);
SELECT ender_snapshot()::text AS target \gset
ROLLBACK;
CREATE TEMP TABLE steps AS SELECT * FROM ender_diff(:'target', online => false);
CREATE TEMP TABLE by_hand AS
    SELECT * FROM ender_hazards((SELECT string_agg(sql, E';\n' ORDER BY step) FROM steps));
SELECT s.step, s.sql, s.hazards, s.hazards = h.hazards AS same_as_ender_hazards
  FROM steps s LEFT JOIN by_hand h ON h.statement = s.step ORDER BY s.step;
SELECT (SELECT count(*) FROM steps) AS steps, (SELECT count(*) FROM by_hand) AS statements;
-- The online forms too (CREATE INDEX CONCURRENTLY, NOT VALID then VALIDATE).
CREATE TEMP TABLE online_steps AS SELECT * FROM ender_diff(:'target', online => true);
SELECT count(*) AS online_steps,
       count(*) FILTER (WHERE o.hazards IS DISTINCT FROM h.hazards) AS disagreeing
  FROM online_steps o
  LEFT JOIN ender_hazards((SELECT string_agg(sql, E';\n' ORDER BY step) FROM online_steps)) h
         ON h.statement = o.step;
DROP SCHEMA hz CASCADE;
DROP EXTENSION ender;
