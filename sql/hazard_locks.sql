-- The lock words of ender_hazards (and so of ender_diff's steps) against the locks PostgreSQL
-- really takes: each statement runs on a real schema, pg_locks is read while its locks are
-- held, and the statement is rolled back. ACCESS EXCLUSIVE on a table, view, index or sequence
-- is takes_access_exclusive; SHARE, SHARE ROW EXCLUSIVE or EXCLUSIVE (writes wait, reads go on)
-- is blocks_writes; weaker locks, and the object locks a function, type or schema gets (no
-- query takes them), are neither.
CREATE EXTENSION ender;
CREATE SCHEMA lk;
CREATE TABLE lk.team (id bigint PRIMARY KEY, name text, score int);
CREATE TABLE lk.hero (id bigint PRIMARY KEY, team_id bigint, name text);
CREATE TABLE lk.loose (id bigint, code text);
INSERT INTO lk.team VALUES (1, 'a', 1);
INSERT INTO lk.hero VALUES (1, 1, 'x');
CREATE INDEX hero_name ON lk.hero (name);
CREATE UNIQUE INDEX loose_code ON lk.loose (code);
ALTER TABLE lk.hero ADD CONSTRAINT hero_team_later FOREIGN KEY (team_id) REFERENCES lk.team NOT VALID;
ALTER TABLE lk.hero ADD CONSTRAINT hero_team_now FOREIGN KEY (team_id) REFERENCES lk.team;
CREATE VIEW lk.team_names AS SELECT name FROM lk.team;
CREATE MATERIALIZED VIEW lk.team_scores AS SELECT id, score FROM lk.team;
CREATE SEQUENCE lk.counter;
CREATE FUNCTION lk.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE PROCEDURE lk.p() LANGUAGE sql AS 'SELECT 1';
CREATE TYPE lk.mood AS ENUM ('happy', 'sad');
CREATE DOMAIN lk.positive AS int CHECK (VALUE > 0);
CREATE TYPE lk.pair AS (a int, b int);
CREATE STATISTICS lk.team_stats ON id, score FROM lk.team;
CREATE FUNCTION lk.touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER team_touch BEFORE UPDATE ON lk.team FOR EACH ROW EXECUTE FUNCTION lk.touch();
CREATE POLICY team_mine ON lk.team USING (true);
CREATE TABLE lk.parent (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE lk.year2020 (id int, at date);
CREATE SCHEMA lk_empty;
CREATE SCHEMA lk_full;
CREATE TABLE lk_full.t (id int);

-- The strongest lock the statement holds on each relation that existed before it (in the lk
-- schemas; a composite type's own pg_class row is left out: no query locks it), and the lock
-- word it makes. The statement's work is undone by the error the function raises and catches.
CREATE FUNCTION pg_temp.locks_taken(statement text, OUT locks text, OUT word text)
LANGUAGE plpgsql AS $$
DECLARE
    modes text[] := ARRAY['AccessShareLock', 'RowShareLock', 'RowExclusiveLock',
                          'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock',
                          'ExclusiveLock', 'AccessExclusiveLock'];
    oids oid[];
    names text[];
BEGIN
    SELECT array_agg(c.oid), array_agg(c.relname::text) INTO oids, names
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname LIKE 'lk%' AND c.relkind NOT IN ('c', 't');
    BEGIN
        EXECUTE statement;
        SELECT string_agg(r.name || ' ' || r.mode, ', ' ORDER BY r.name),
               CASE max(r.strength) WHEN 8 THEN 'takes_access_exclusive'
                                    WHEN 7 THEN 'blocks_writes' WHEN 6 THEN 'blocks_writes'
                                    WHEN 5 THEN 'blocks_writes' END
          INTO locks, word
          FROM (SELECT rel.name, modes[max(array_position(modes, l.mode))] AS mode,
                       max(array_position(modes, l.mode)) AS strength
                  FROM pg_locks l JOIN unnest(oids, names) AS rel(oid, name) ON rel.oid = l.relation
                 WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted
                 GROUP BY rel.name) r;
        RAISE EXCEPTION 'undo' USING ERRCODE = 'U0001';
    EXCEPTION WHEN SQLSTATE 'U0001' THEN
        NULL;
    END;
END
$$;

CREATE TEMP TABLE checked AS
SELECT s.n, s.statement, taken.locks, h.hazards,
       (SELECT w FROM unnest(h.hazards) w
         WHERE w IN ('takes_access_exclusive', 'blocks_writes') LIMIT 1) AS ender_word,
       taken.word AS lock_word
  FROM (VALUES
    (1, 'ALTER TABLE lk.hero ADD CONSTRAINT hero_team FOREIGN KEY (team_id) REFERENCES lk.team'),
    (2, 'ALTER TABLE lk.hero ADD CONSTRAINT hero_team FOREIGN KEY (team_id) REFERENCES lk.team NOT VALID'),
    (3, 'ALTER TABLE lk.hero VALIDATE CONSTRAINT hero_team_later'),
    (4, 'ALTER TABLE lk.team ADD CONSTRAINT positive CHECK (score > 0)'),
    (5, 'ALTER TABLE lk.team ADD CONSTRAINT positive CHECK (score > 0) NOT VALID'),
    (6, 'ALTER TABLE lk.team ALTER COLUMN name SET NOT NULL'),
    (7, 'ALTER TABLE lk.team ADD CONSTRAINT team_name UNIQUE (name)'),
    (8, 'ALTER TABLE lk.loose ADD PRIMARY KEY (id)'),
    (9, 'ALTER TABLE lk.loose ADD CONSTRAINT loose_code_key UNIQUE USING INDEX loose_code'),
    (10, 'CREATE INDEX team_score ON lk.team (score)'),
    (11, 'CREATE TABLE lk.league (id int, team_id bigint REFERENCES lk.team)'),
    (12, 'CREATE TABLE lk.year2021 PARTITION OF lk.parent FOR VALUES FROM (''2021-01-01'') TO (''2022-01-01'')'),
    (13, 'ALTER TABLE lk.parent ATTACH PARTITION lk.year2020 FOR VALUES FROM (''2020-01-01'') TO (''2021-01-01'')'),
    (14, 'ALTER TABLE lk.hero DROP CONSTRAINT hero_team_now'),
    (15, 'DROP INDEX lk.hero_name'),
    (16, 'DROP TABLE lk.loose'),
    (17, 'DROP VIEW lk.team_names'),
    (18, 'DROP MATERIALIZED VIEW lk.team_scores'),
    (19, 'DROP SEQUENCE lk.counter'),
    (20, 'DROP FUNCTION lk.f()'),
    (21, 'DROP PROCEDURE lk.p()'),
    (22, 'DROP TYPE lk.mood'),
    (23, 'DROP DOMAIN lk.positive'),
    (24, 'DROP TYPE lk.pair'),
    (25, 'DROP STATISTICS lk.team_stats'),
    (26, 'DROP TRIGGER team_touch ON lk.team'),
    (27, 'DROP POLICY team_mine ON lk.team'),
    (28, 'DROP SCHEMA lk_empty'),
    (29, 'DROP SCHEMA lk_full CASCADE'),
    (30, 'ALTER TABLE lk.team RENAME TO squad'),
    (31, 'ALTER TABLE lk.team RENAME COLUMN name TO title'),
    (32, 'ALTER INDEX lk.hero_name RENAME TO hero_title'),
    (33, 'ALTER TABLE lk.hero RENAME CONSTRAINT hero_team_now TO hero_squad'),
    (34, 'ALTER FUNCTION lk.f() RENAME TO g'),
    (35, 'ALTER TYPE lk.mood RENAME TO feeling'),
    (36, 'ALTER TYPE lk.pair RENAME ATTRIBUTE a TO first'),
    (37, 'ALTER SCHEMA lk_empty RENAME TO lk_void'),
    (38, 'TRUNCATE lk.hero')
  ) AS s(n, statement),
  LATERAL pg_temp.locks_taken(s.statement) taken,
  LATERAL ender_hazards(s.statement) h;

SELECT n, statement, locks, hazards FROM checked ORDER BY n;
-- Every statement's lock word is the one its locks make.
SELECT count(*) AS statements,
       count(*) FILTER (WHERE ender_word IS DISTINCT FROM lock_word) AS disagreeing
  FROM checked;
SELECT n, ender_word, lock_word FROM checked
 WHERE ender_word IS DISTINCT FROM lock_word ORDER BY n;

-- A foreign key from a table the same SQL created still takes SHARE ROW EXCLUSIVE on the table
-- it references (writes to it wait until the transaction ends); between two new tables nobody
-- else waits.
SELECT statement, hazards FROM ender_hazards($$
CREATE TABLE fresh (id bigint PRIMARY KEY, team_id bigint REFERENCES lk.team, up bigint REFERENCES fresh);
ALTER TABLE fresh ADD CONSTRAINT fresh_team FOREIGN KEY (team_id) REFERENCES lk.team;
CREATE TABLE other (id bigint REFERENCES fresh);
ALTER TABLE fresh ADD CONSTRAINT fresh_other FOREIGN KEY (id) REFERENCES other;
DROP INDEX CONCURRENTLY lk.hero_name
$$);

-- ender_diff says the same of the steps it plans: a new foreign key blocks writes (offline:
-- validated at once; online: NOT VALID, then VALIDATE, which blocks nothing), a dropped view or
-- function and a type take no ACCESS EXCLUSIVE, DROP INDEX CONCURRENTLY neither.
CREATE SCHEMA lkd;
CREATE TABLE lkd.team (id bigint PRIMARY KEY, name text);
CREATE TABLE lkd.hero (id bigint PRIMARY KEY, team_id bigint, name text);
CREATE INDEX hero_name ON lkd.hero (name);
CREATE VIEW lkd.names AS SELECT name FROM lkd.team;
CREATE FUNCTION lkd.f() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE TYPE lkd.mood AS ENUM ('happy');
BEGIN;
ALTER TABLE lkd.hero ADD CONSTRAINT hero_team FOREIGN KEY (team_id) REFERENCES lkd.team;
DROP INDEX lkd.hero_name;
DROP VIEW lkd.names;
DROP FUNCTION lkd.f();
DROP TYPE lkd.mood;
SELECT ender_snapshot()::text AS target \gset
ROLLBACK;
SELECT step, sql, hazards, online_operation FROM ender_diff(:'target', online => false) ORDER BY step;
SELECT step, sql, hazards, online_operation FROM ender_diff(:'target', online => true) ORDER BY step;

SET client_min_messages = warning;
DROP SCHEMA lk, lk_empty, lk_full, lkd CASCADE;
DROP EXTENSION ender;
