CREATE TABLE hero (id int PRIMARY KEY, name text, secret_name text);
GRANT SELECT (secret_name) ON hero TO pg_monitor;
