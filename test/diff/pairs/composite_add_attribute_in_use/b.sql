-- b: a composite type stored in a table gains an attribute and loses one (both in place)
CREATE TYPE address AS (street text, zip text);
CREATE TABLE hero (id int PRIMARY KEY, home address, homes address[]);
