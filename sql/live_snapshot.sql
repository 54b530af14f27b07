-- ender_diff and ender_check read the live schema from the catalogs straight into the engine's
-- structures (extension/src/glue/live_snapshot.cpp), not through the document's json text:
-- for objects of every kind the snapshot lists, what they read must be what the engine parses
-- from ender._snapshot_json (ender._live_snapshot_mismatch is null), whatever the session's
-- settings.
CREATE EXTENSION ender;
CREATE SCHEMA live;
CREATE SCHEMA "Live Other";
COMMENT ON SCHEMA live IS 'the live schema';
CREATE COLLATION live.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION live.posix_c (locale = 'C');
CREATE TYPE live.mood AS ENUM ('sad', 'ok', 'happy');
COMMENT ON TYPE live.mood IS 'how it feels';
CREATE DOMAIN live.positive AS numeric(10, 2) DEFAULT 1 NOT NULL CHECK (VALUE > 0);
ALTER DOMAIN live.positive ADD CONSTRAINT small CHECK (VALUE < 1000) NOT VALID;
CREATE DOMAIN live.label AS text COLLATE "C" CHECK (VALUE <> '');
CREATE TYPE live.pair AS (a integer, b text COLLATE "C", c live.mood);
COMMENT ON COLUMN live.pair.a IS 'first';
CREATE SEQUENCE live.counter AS integer START 5 INCREMENT 3 MINVALUE 2 MAXVALUE 900 CACHE 4 CYCLE;
CREATE TABLE live.parent (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    born date DEFAULT '2024-01-31',
    span interval DEFAULT '1 day 02:00:00',
    ratio double precision DEFAULT 0.1,
    raw bytea DEFAULT '\x0102',
    feel live.mood DEFAULT 'ok',
    amount live.positive,
    name text COLLATE "C" NOT NULL,
    doubled integer GENERATED ALWAYS AS (length(name) * 2) STORED,
    UNIQUE (name) DEFERRABLE INITIALLY DEFERRED,
    CHECK (born > '2000-01-01'),
    EXCLUDE USING btree (ratio WITH =)
);
COMMENT ON TABLE live.parent IS 'a parent';
COMMENT ON COLUMN live.parent.name IS 'its name';
COMMENT ON CONSTRAINT parent_born_check ON live.parent IS 'recent';
CREATE TABLE live.child (extra text, n integer DEFAULT nextval('live.counter')) INHERITS (live.parent);
CREATE SEQUENCE live.owned;
ALTER SEQUENCE live.owned OWNED BY live.child.extra;
CREATE TABLE live.ref (
    id integer PRIMARY KEY,
    parent_id bigint REFERENCES live.parent ON DELETE CASCADE,
    other integer
) WITH (fillfactor = 80);
CREATE INDEX ref_partial ON live.ref (other) WHERE other > 0;
CREATE INDEX ref_expression ON live.ref (lower(other::text));
COMMENT ON INDEX live.ref_partial IS 'some';
ALTER TABLE live.ref ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON live.ref FOR SELECT TO PUBLIC USING (other > 0);
CREATE TABLE live.measure (at date NOT NULL, v integer) PARTITION BY RANGE (at);
CREATE TABLE live.measure_2024 PARTITION OF live.measure FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE UNLOGGED TABLE "Live Other"."Odd Table" ("Odd Column" integer);
ALTER TABLE "Live Other"."Odd Table" REPLICA IDENTITY FULL;
CREATE FUNCTION live.twice(x integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN x * 2;
CREATE FUNCTION live.count_refs() RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT count(*) FROM live.ref; END;
CREATE FUNCTION live.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE PROCEDURE live.noop(a integer DEFAULT 1) LANGUAGE sql AS $$ SELECT 1 $$;
COMMENT ON FUNCTION live.twice(integer) IS 'doubles';
CREATE TRIGGER ref_touch BEFORE UPDATE ON live.ref FOR EACH ROW EXECUTE FUNCTION live.touch();
CREATE VIEW live.v AS SELECT r.id, live.twice(r.other) AS twice, p.name FROM live.ref r JOIN live.parent p ON p.id = r.parent_id;
COMMENT ON COLUMN live.v.twice IS 'twice over';
CREATE VIEW live.secure WITH (security_barrier) AS SELECT id FROM live.ref WHERE other > 0;
CREATE MATERIALIZED VIEW live.mv AS SELECT id, other FROM live.ref WITH NO DATA;
CREATE UNIQUE INDEX mv_id ON live.mv (id);
CREATE AGGREGATE live.total(integer) (SFUNC = int4pl, STYPE = integer, INITCOND = '0');
CREATE FUNCTION live.same(live.pair, live.pair) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN $1.a = $2.a;
CREATE OPERATOR live.=== (LEFTARG = live.pair, RIGHTARG = live.pair, FUNCTION = live.same);
CREATE FUNCTION live.pair_text(live.pair) RETURNS text LANGUAGE sql IMMUTABLE RETURN $1.b;
CREATE CAST (live.pair AS text) WITH FUNCTION live.pair_text(live.pair) AS ASSIGNMENT;
COMMENT ON CAST (live.pair AS text) IS 'a pair as text';
CREATE TEXT SEARCH DICTIONARY live.simple_dict (TEMPLATE = simple, STOPWORDS = english);
CREATE TEXT SEARCH CONFIGURATION live.cfg (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION live.cfg ALTER MAPPING FOR word WITH live.simple_dict, simple;
CREATE FUNCTION live.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$;
CREATE EVENT TRIGGER live_ddl ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION live.on_ddl();
ALTER EVENT TRIGGER live_ddl DISABLE;

-- The session's settings do not change what either reads.
SET datestyle = 'SQL, DMY';
SET intervalstyle = 'sql_standard';
SET extra_float_digits = 0;
SET bytea_output = 'escape';
SET search_path = live, public;
SET jit = on;
SET jit_above_cost = 0;
SELECT ender._live_snapshot_mismatch() AS every_schema;
SELECT ender._live_snapshot_mismatch(ARRAY['live']) AS one_schema;
SELECT ender._live_snapshot_mismatch(ARRAY['Live Other', 'live']) AS two_schemas;
SELECT ender._live_snapshot_mismatch('{}') AS no_schema;
SELECT ender_check(ender_snapshot()) AS live_equals_its_snapshot;
SELECT count(*) AS steps FROM ender_diff(ender_snapshot());
RESET ALL;

-- The live read sees what the transaction changed before it, as a statement would.
BEGIN;
CREATE TEMP TABLE before AS SELECT ender_snapshot() AS doc;
ALTER TABLE live.ref ADD COLUMN added integer;
SELECT ender._live_snapshot_mismatch() AS after_a_change;
SELECT step, sql FROM before, ender_diff(doc);
ROLLBACK;

-- Invalid inputs: the schemas are checked as ender_snapshot checks them.
SELECT ender._live_snapshot_mismatch(ARRAY['nope']);
SELECT ender._live_snapshot_mismatch(ARRAY['pg_catalog']);
SELECT ender._live_snapshot_mismatch(ARRAY['ender']);
SELECT ender._live_snapshot_mismatch(ARRAY[NULL]);

DROP EVENT TRIGGER live_ddl;
DROP SCHEMA live, "Live Other" CASCADE;
DROP EXTENSION ender;
