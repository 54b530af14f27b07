-- b: a new, empty schema
CREATE TABLE note (id int PRIMARY KEY, body text);
CREATE SCHEMA app;
