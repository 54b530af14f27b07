-- b: a domain check added NOT VALID (existing data violates it)
CREATE DOMAIN code AS text;
CREATE TABLE hero (id int PRIMARY KEY, c code);
ALTER DOMAIN code ADD CONSTRAINT code_upper CHECK (VALUE = upper(VALUE)) NOT VALID;
