-- b: pgcrypto in public, and a column default that uses one of its functions
CREATE EXTENSION pgcrypto;
CREATE TABLE hero (id int PRIMARY KEY, salt text DEFAULT gen_salt('bf'));
