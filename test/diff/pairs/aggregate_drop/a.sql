CREATE FUNCTION add_points(state bigint, points int) RETURNS bigint
    LANGUAGE sql IMMUTABLE RETURN state + COALESCE(points, 0);
CREATE FUNCTION points_label(state bigint) RETURNS text
    LANGUAGE sql IMMUTABLE RETURN state || ' points';
CREATE AGGREGATE total_points(int) (SFUNC = add_points, STYPE = bigint, FINALFUNC = points_label,
                                    INITCOND = '0');
CREATE AGGREGATE row_count(*) (SFUNC = int8inc, STYPE = bigint, INITCOND = '0');
COMMENT ON AGGREGATE row_count(*) IS 'counts rows';
CREATE TABLE score (player text, points int);
