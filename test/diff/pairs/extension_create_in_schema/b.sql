-- b: pgcrypto in a schema of its own (the schema is created first)
CREATE SCHEMA crypto;
CREATE EXTENSION pgcrypto SCHEMA crypto;
CREATE TABLE hero (id int PRIMARY KEY);
