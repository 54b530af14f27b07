-- The snapshot writes the definitions of plain indexes, primary keys, unique constraints and
-- foreign keys itself (extension/src/glue/catalog_tables.cpp) instead of calling
-- pg_get_indexdef or pg_get_constraintdef for each: every shape, the ones it writes and those
-- it leaves to the server, must read exactly as the server prints it.
CREATE EXTENSION ender;
CREATE SCHEMA defs;
CREATE SCHEMA "Odd Schema";
CREATE TABLE defs.t (
    id bigint PRIMARY KEY,
    a integer, b text, c varchar(20), d text COLLATE "C", e jsonb, f int4range,
    g timestamptz, h numeric(10, 2), "Mixed Case" text, "select" integer, u uuid, arr integer[]
);
CREATE INDEX plain ON defs.t (a);
CREATE INDEX multi ON defs.t (a, b, g);
CREATE UNIQUE INDEX uniq ON defs.t (u);
CREATE UNIQUE INDEX uniq_nnd ON defs.t (a, b) NULLS NOT DISTINCT;
CREATE INDEX incl ON defs.t (a) INCLUDE (b, c);
CREATE INDEX descending ON defs.t (a DESC, b);
CREATE INDEX nulls_first ON defs.t (a NULLS FIRST);
CREATE INDEX desc_nulls_last ON defs.t (g DESC NULLS LAST);
CREATE INDEX varchar_default ON defs.t (c);               -- default operator class through text
CREATE INDEX pattern ON defs.t (b text_pattern_ops);      -- a non-default operator class
CREATE INDEX varchar_pattern ON defs.t (c varchar_pattern_ops);
CREATE INDEX collated_column ON defs.t (d);               -- the column's own collation
CREATE INDEX other_collation ON defs.t (b COLLATE "C");   -- another one
CREATE INDEX same_collation ON defs.t (d COLLATE "C");
CREATE INDEX partial ON defs.t (a) WHERE b IS NOT NULL AND a > 0;
CREATE INDEX expression ON defs.t (lower(b));
CREATE INDEX mixed_expression ON defs.t (a, (a + 1), lower(b));
CREATE INDEX with_options ON defs.t (a) WITH (fillfactor = 70);
CREATE INDEX quoted ON defs.t ("Mixed Case", "select");
CREATE INDEX "Quoted Name" ON defs.t (h);
CREATE INDEX hashed ON defs.t USING hash (b);
CREATE INDEX gin_default ON defs.t USING gin (e);
CREATE INDEX gin_path ON defs.t USING gin (e jsonb_path_ops);
CREATE INDEX gin_array ON defs.t USING gin (arr);
CREATE INDEX gist_range ON defs.t USING gist (f);
CREATE INDEX brin_time ON defs.t USING brin (g) WITH (pages_per_range = 32);
CREATE INDEX spgist_range ON defs.t USING spgist (f);
CREATE TABLE "Odd Schema"."Odd Table" (k integer, "v v" text);
CREATE TABLE public.outside (k integer UNIQUE);  -- a referenced table outside the snapshot
CREATE INDEX odd ON "Odd Schema"."Odd Table" (k, "v v");
CREATE TABLE defs.parted (k integer, v text) PARTITION BY RANGE (k);
CREATE TABLE defs.parted_1 PARTITION OF defs.parted FOR VALUES FROM (0) TO (10);
CREATE INDEX parted_v ON defs.parted (v);                 -- ON ONLY: left to the server

-- Keys of every shape.
CREATE UNIQUE INDEX odd_k ON "Odd Schema"."Odd Table" (k);
CREATE TABLE defs.parent (a integer, b text, c integer, PRIMARY KEY (a, b), UNIQUE (c));
CREATE TABLE defs.keys (
    id integer,
    note text,
    x integer, y text, z integer, w integer,
    "Odd Col" integer,
    CONSTRAINT keys_pk PRIMARY KEY (id) INCLUDE (note),
    CONSTRAINT uq_plain UNIQUE (x),
    CONSTRAINT uq_multi UNIQUE (x, y),
    CONSTRAINT uq_nnd UNIQUE NULLS NOT DISTINCT (z),
    CONSTRAINT uq_include UNIQUE (w) INCLUDE (note, x),
    CONSTRAINT uq_deferrable UNIQUE ("Odd Col") DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT uq_with UNIQUE (y) WITH (fillfactor = 80),
    CONSTRAINT fk_plain FOREIGN KEY (x, y) REFERENCES defs.parent (a, b),
    CONSTRAINT fk_actions FOREIGN KEY (x, y) REFERENCES defs.parent ON UPDATE CASCADE ON DELETE SET NULL,
    CONSTRAINT fk_set_cols FOREIGN KEY (x, y) REFERENCES defs.parent ON DELETE SET NULL (x),
    CONSTRAINT fk_default FOREIGN KEY (z) REFERENCES defs.parent (c) ON DELETE SET DEFAULT ON UPDATE RESTRICT,
    CONSTRAINT fk_full FOREIGN KEY (x, y) REFERENCES defs.parent MATCH FULL,
    CONSTRAINT fk_deferred FOREIGN KEY (z) REFERENCES defs.parent (c) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT fk_deferrable FOREIGN KEY (z) REFERENCES defs.parent (c) DEFERRABLE,
    CONSTRAINT fk_self FOREIGN KEY (w) REFERENCES defs.keys (id),
    CONSTRAINT fk_odd FOREIGN KEY ("Odd Col") REFERENCES "Odd Schema"."Odd Table" (k),
    CONSTRAINT ck_plain CHECK (x > 0),
    CONSTRAINT ck_no_inherit CHECK (z <> 3) NO INHERIT
);
ALTER TABLE defs.keys ADD CONSTRAINT fk_not_valid FOREIGN KEY (z) REFERENCES defs.parent (c) NOT VALID;
ALTER TABLE defs.keys ADD CONSTRAINT ck_not_valid CHECK (w < 100) NOT VALID;
CREATE TABLE defs.other (k integer);
CREATE UNIQUE INDEX other_k ON defs.other (k);
ALTER TABLE defs.keys ADD CONSTRAINT fk_outside FOREIGN KEY (x) REFERENCES public.outside (k);

-- The server's deparsers qualify names by search_path; the snapshot reads with it pinned.
SET search_path = pg_catalog, pg_temp;
SELECT t->>'name' AS "table", c->>'name' AS constraint,
       c->>'definition' = (SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k
                            WHERE k.conrelid = format('%I.%I', t->>'schema', t->>'name')::regclass
                              AND k.conname = c->>'name') AS same
  FROM jsonb_array_elements(ender_snapshot(ARRAY['defs', 'Odd Schema'])->'tables') t,
       jsonb_array_elements(t->'constraints') c
 ORDER BY 1, 2;

SELECT c->>'definition' AS definition
  FROM jsonb_array_elements(ender_snapshot(ARRAY['defs'])->'tables') t,
       jsonb_array_elements(t->'constraints') c
 ORDER BY 1;

SELECT t->>'schema' AS schema, t->>'name' AS "table", i->>'name' AS index,
       i->>'definition' = pg_get_indexdef(format('%I.%I', t->>'schema', i->>'name')::regclass) AS same
  FROM jsonb_array_elements(ender_snapshot(ARRAY['defs', 'Odd Schema'])->'tables') t,
       jsonb_array_elements(t->'indexes') i
 ORDER BY 1, 2, 3;

-- The definitions themselves, for the record.
SELECT i->>'definition' AS definition
  FROM jsonb_array_elements(ender_snapshot(ARRAY['defs', 'Odd Schema'])->'tables') t,
       jsonb_array_elements(t->'indexes') i
 ORDER BY 1;

RESET search_path;
DROP SCHEMA defs CASCADE;
DROP SCHEMA "Odd Schema" CASCADE;
DROP TABLE public.outside;
DROP EXTENSION ender;
