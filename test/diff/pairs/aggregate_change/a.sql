CREATE TABLE score (player text, points int);
INSERT INTO score VALUES ('ann', 3), ('bob', 5);
CREATE FUNCTION add_points(state bigint, points int) RETURNS bigint
    LANGUAGE sql IMMUTABLE RETURN state + COALESCE(points, 0);
CREATE AGGREGATE total_points(int) (SFUNC = add_points, STYPE = bigint, INITCOND = '0');
COMMENT ON AGGREGATE total_points(int) IS 'sum of points';
CREATE VIEW board AS SELECT player, total_points(points) AS total FROM score GROUP BY player;
