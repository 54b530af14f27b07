-- a: only the public schema
CREATE TABLE note (id int PRIMARY KEY, body text);
