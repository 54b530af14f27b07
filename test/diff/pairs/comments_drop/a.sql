-- a: a comment on every kind of object
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'happy');
CREATE DOMAIN app.posint AS int CONSTRAINT posint_positive CHECK (VALUE > 0);
CREATE TYPE app.address AS (street text, city text);
CREATE SEQUENCE app.ticket_no;
CREATE TABLE app.hero (
    id int CONSTRAINT hero_pkey PRIMARY KEY,
    name text NOT NULL,
    level app.posint,
    feeling app.mood,
    CONSTRAINT hero_name_check CHECK (name <> '')
);
CREATE INDEX hero_name ON app.hero (name);
CREATE VIEW app.hero_names AS SELECT id, name FROM app.hero;
CREATE MATERIALIZED VIEW app.hero_count AS SELECT count(*) AS n FROM app.hero;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE PROCEDURE app.noop() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE TRIGGER hero_touch BEFORE UPDATE ON app.hero FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.hero ENABLE ROW LEVEL SECURITY;
CREATE POLICY hero_all ON app.hero USING (true);
CREATE EXTENSION pgcrypto SCHEMA app;     -- (comments on extensions are not in the snapshot: none here)
CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN NULL; END $$;
CREATE EVENT TRIGGER app_ddl ON ddl_command_end EXECUTE FUNCTION app.on_ddl();

COMMENT ON SCHEMA app IS 'schema one';
COMMENT ON TYPE app.mood IS 'enum one';
COMMENT ON DOMAIN app.posint IS 'domain one';
COMMENT ON CONSTRAINT posint_positive ON DOMAIN app.posint IS 'domain constraint one';
COMMENT ON TYPE app.address IS 'composite one';
COMMENT ON COLUMN app.address.city IS 'attribute one';
COMMENT ON SEQUENCE app.ticket_no IS 'sequence one';
COMMENT ON TABLE app.hero IS 'table one';
COMMENT ON COLUMN app.hero.name IS 'column one';
COMMENT ON CONSTRAINT hero_pkey ON app.hero IS 'primary key one';
COMMENT ON CONSTRAINT hero_name_check ON app.hero IS 'check one';
COMMENT ON INDEX app.hero_name IS 'index one';
COMMENT ON VIEW app.hero_names IS 'view one';
COMMENT ON COLUMN app.hero_names.name IS 'view column one';
COMMENT ON MATERIALIZED VIEW app.hero_count IS 'materialized view one';
COMMENT ON FUNCTION app.touch() IS 'function one';
COMMENT ON PROCEDURE app.noop() IS 'procedure one';
COMMENT ON TRIGGER hero_touch ON app.hero IS 'trigger one';
COMMENT ON POLICY hero_all ON app.hero IS 'policy one';
COMMENT ON EVENT TRIGGER app_ddl IS 'event trigger one';
