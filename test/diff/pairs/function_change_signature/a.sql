CREATE FUNCTION greeting(who text) RETURNS text LANGUAGE sql IMMUTABLE RETURN 'hello ' || who;
