-- b: column privileges: SELECT and UPDATE on name to pg_read_all_data, secret_name no longer readable
CREATE TABLE hero (id int PRIMARY KEY, name text, secret_name text);
GRANT SELECT (name), UPDATE (name) ON hero TO pg_read_all_data;
