CREATE TABLE cache (key text PRIMARY KEY, value jsonb);
CREATE UNLOGGED TABLE scratch (id int);
