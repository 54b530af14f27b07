-- b: another result type (CREATE OR REPLACE cannot do it: drop and create)
CREATE FUNCTION answer() RETURNS bigint LANGUAGE sql IMMUTABLE RETURN 42;
