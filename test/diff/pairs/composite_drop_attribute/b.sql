-- b: an attribute dropped, another changes type
CREATE TYPE address AS (street text, city varchar(80));
CREATE TABLE hero (id int PRIMARY KEY, home address);
