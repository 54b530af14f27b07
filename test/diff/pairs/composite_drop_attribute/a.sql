CREATE TYPE address AS (street text, city text, zip text);
CREATE TABLE hero (id int PRIMARY KEY, home address);
