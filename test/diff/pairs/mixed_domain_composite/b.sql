-- b: the domain check is relaxed, gets a default; the composite gains an attribute of a new
--    domain; a new table uses the composite as an array
CREATE DOMAIN zip AS text DEFAULT '00000' CONSTRAINT zip_format CHECK (VALUE ~ '^[0-9]{4,5}$');
CREATE DOMAIN country AS char(2) CHECK (VALUE = upper(VALUE));
CREATE TYPE address AS (street text, zip zip, country country);
CREATE TABLE customer (id int PRIMARY KEY, home address, billing_zip zip);
CREATE TABLE supplier (id int PRIMARY KEY, sites address[] NOT NULL DEFAULT '{}');
