-- b: only an argument name changes (CREATE OR REPLACE refuses: drop and create)
CREATE FUNCTION twice(n int) RETURNS int LANGUAGE sql IMMUTABLE RETURN n * 2;
