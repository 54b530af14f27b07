CREATE TYPE address AS (street text, city text);
CREATE TABLE hero (id int PRIMARY KEY);
