-- b: an attribute appended to a type used by a table
CREATE TYPE address AS (street text, city text, country text);
CREATE TABLE hero (id int PRIMARY KEY, home address);
