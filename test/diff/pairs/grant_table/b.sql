-- b: SELECT, INSERT to pg_read_all_data; pg_monitor's SELECT revoked; pg_read_all_stats keeps
-- SELECT without its grant option
CREATE TABLE hero (id int PRIMARY KEY, name text);
GRANT SELECT, INSERT ON hero TO pg_read_all_data;
GRANT SELECT ON hero TO pg_read_all_stats;
