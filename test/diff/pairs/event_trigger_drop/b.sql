-- b: the event triggers and their function are gone
CREATE TABLE ddl_log (at timestamptz DEFAULT now(), tag text);
