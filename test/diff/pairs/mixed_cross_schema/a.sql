-- a: two schemas whose objects reference each other
CREATE SCHEMA core;
CREATE SCHEMA report;
CREATE TYPE core.level AS ENUM ('low', 'high');
CREATE TABLE core.item (id int PRIMARY KEY, level core.level NOT NULL);
CREATE TABLE report.snapshot (item_id int REFERENCES core.item (id), taken date);
CREATE VIEW report.items AS SELECT i.id, i.level FROM core.item i;
CREATE FUNCTION report.item_count() RETURNS bigint LANGUAGE sql STABLE RETURN (SELECT count(*) FROM core.item);
