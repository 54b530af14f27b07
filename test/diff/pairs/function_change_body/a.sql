CREATE FUNCTION greeting(who text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN 'hello ' || who;
END $$;
CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql IMMUTABLE RETURN x * 2;
