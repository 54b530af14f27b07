CREATE EXTENSION pgcrypto;
CREATE TABLE hero (id int PRIMARY KEY, digest bytea);
