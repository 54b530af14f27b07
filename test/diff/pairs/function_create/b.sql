-- b: functions in sql (standard body and string body) and plpgsql, with attributes
CREATE TABLE hero (id int PRIMARY KEY, age int);
CREATE FUNCTION add(a int, b int DEFAULT 1) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + b;
CREATE FUNCTION hero_count() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM hero $$;
CREATE FUNCTION oldest(OUT id int, OUT age int) LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = public AS $$
BEGIN
    SELECT h.id, h.age INTO id, age FROM hero h ORDER BY h.age DESC NULLS LAST LIMIT 1;
END $$;
CREATE FUNCTION ages() RETURNS SETOF int LANGUAGE sql STABLE ROWS 10 AS $$ SELECT age FROM hero $$;
