-- b: volatility, strictness, parallel safety, cost and a SET clause
CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 5
    SET search_path = pg_catalog RETURN x * 2;
