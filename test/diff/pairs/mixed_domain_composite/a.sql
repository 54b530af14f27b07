-- a: a domain used by a composite type that a table column uses, and by a column directly
CREATE DOMAIN zip AS text CONSTRAINT zip_format CHECK (VALUE ~ '^[0-9]{5}$');
CREATE TYPE address AS (street text, zip zip);
CREATE TABLE customer (id int PRIMARY KEY, home address, billing_zip zip);
INSERT INTO customer VALUES (1, ROW('Main St', '12345'), '54321');
