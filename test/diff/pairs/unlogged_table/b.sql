-- b: one table becomes UNLOGGED, the other LOGGED
CREATE UNLOGGED TABLE cache (key text PRIMARY KEY, value jsonb);
CREATE TABLE scratch (id int);
