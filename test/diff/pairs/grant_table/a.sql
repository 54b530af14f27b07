CREATE TABLE hero (id int PRIMARY KEY, name text);
GRANT SELECT ON hero TO pg_monitor;
GRANT SELECT ON hero TO pg_read_all_stats WITH GRANT OPTION;
