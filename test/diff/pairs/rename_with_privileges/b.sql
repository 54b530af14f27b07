-- b: table hero renamed to person and column name to nick: the privileges follow them; one more grant
CREATE TABLE person (id int CONSTRAINT hero_pkey PRIMARY KEY, nick text);
GRANT SELECT, DELETE ON person TO pg_read_all_data;
GRANT UPDATE (nick) ON person TO pg_monitor;
