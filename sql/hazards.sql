-- ender_hazards: what each statement of migration SQL may do to a running database, read from
-- the parse tree.
CREATE EXTENSION ender;
\set sqlstate '\\echo SQLSTATE :LAST_ERROR_SQLSTATE'

SELECT statement, line, sql, hazards FROM ender_hazards($$
CREATE TABLE team (id bigint PRIMARY KEY, name text);
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
DROP EXTENSION ender;
