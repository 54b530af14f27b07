-- b: the report schema goes away with its objects, a new schema audit references core, and
--    core.item gets a column of a type from audit
CREATE SCHEMA core;
CREATE SCHEMA audit;
CREATE TYPE core.level AS ENUM ('low', 'high');
CREATE TYPE audit.source AS ENUM ('web', 'api');
CREATE TABLE core.item (id int PRIMARY KEY, level core.level NOT NULL, source audit.source);
CREATE TABLE audit.change (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                           item_id int NOT NULL REFERENCES core.item (id) ON DELETE CASCADE,
                           level core.level);
CREATE VIEW audit.high_items AS SELECT id FROM core.item WHERE level = 'high';
