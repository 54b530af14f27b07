-- ender_snapshot() builds its jsonb from the json text with simdjson (ender._jsonb,
-- extension/src/glue/jsonb_build.cpp), pushing each object's keys in jsonb's order and reusing
-- the order found for a repeated key sequence: the value must be exactly the cast's.
CREATE EXTENSION ender;
CREATE SCHEMA js;
CREATE TABLE js.a (id bigint PRIMARY KEY, name text NOT NULL DEFAULT 'x', at timestamptz DEFAULT now());
CREATE TABLE js.b (id integer REFERENCES js.a, v numeric(10, 2) CHECK (v > 0), tags text[]);
CREATE INDEX b_v ON js.b (v) WHERE v > 1;
CREATE VIEW js.v AS SELECT a.name, b.v FROM js.a JOIN js.b ON b.id = a.id;
SELECT ender._jsonb(d)::text = d::jsonb::text AS snapshot_as_cast
  FROM ender._snapshot_json(ARRAY['js']) d;
-- Repeated key sequences in several orders, nested objects, more sequences than are kept.
WITH doc AS (
    SELECT json_build_object(
        'same', (SELECT json_agg(json_build_object('zz', i, 'a', i::text, 'mm', NULL, 'b', i > 2))
                   FROM generate_series(1, 5) i),
        'shuffled', (SELECT json_agg(json_build_object('a', i, 'zz', i, 'b', json_build_object('y', 1, 'x', 2)))
                       FROM generate_series(1, 3) i),
        'many', (SELECT json_agg(json_build_object('k' || i, i, 'j' || (40 - i), i, 'k', 0))
                   FROM generate_series(1, 40) i),
        'empty', '{}'::json, 'one', json_build_object('only', true)) AS j)
SELECT ender._jsonb(j)::text = j::jsonb::text AS same_as_cast FROM doc;
-- A repeated key: jsonb keeps the last value, as the cast does.
SELECT ender._jsonb('{"b": 1, "a": 2, "b": 3}'), '{"b": 1, "a": 2, "b": 3}'::jsonb;
SELECT ender._jsonb('[{"b": 1, "a": 2}, {"b": 3, "a": 4, "b": 5}]');
SELECT ender._jsonb('{"long key": 1, "k": 2, "kk": [{"x": 1, "ab": 2}, {"ab": 3, "x": 4}]}');
DROP SCHEMA js CASCADE;
DROP EXTENSION ender;
