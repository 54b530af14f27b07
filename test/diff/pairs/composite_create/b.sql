-- b: a composite type (with a collation) used by a new column
CREATE TYPE address AS (street text, city text COLLATE "C", zip varchar(10));
CREATE TABLE hero (id int PRIMARY KEY, home address);
