-- b: enum mood renamed to feeling, domain posint to positive_int (and its constraint positive
-- to above_zero), composite address to location (and its attribute town to city)
CREATE TYPE feeling AS ENUM ('sad', 'happy');
CREATE DOMAIN positive_int AS int CONSTRAINT above_zero CHECK (VALUE > 0);
CREATE TYPE location AS (street text, city text);
CREATE TABLE hero (id int PRIMARY KEY, feeling feeling DEFAULT 'happy', age positive_int, home location);
