CREATE TABLE hero (id int PRIMARY KEY, name text);
GRANT SELECT ON hero TO pg_read_all_data;
GRANT UPDATE (name) ON hero TO pg_monitor;
