-- b: USAGE on schema app to pg_read_all_data, CREATE to pg_monitor with grant option; USAGE on
-- public revoked from PUBLIC
CREATE SCHEMA app;
CREATE TABLE app.t (id int);
GRANT USAGE ON SCHEMA app TO pg_read_all_data;
GRANT CREATE ON SCHEMA app TO pg_monitor WITH GRANT OPTION;
REVOKE USAGE ON SCHEMA public FROM PUBLIC;
