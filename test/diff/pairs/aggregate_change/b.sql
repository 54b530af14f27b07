-- b: the aggregate starts from 10 and gets a final function (dropped and created again; the
-- view that calls it is rebuilt around it), its comment changes
CREATE TABLE score (player text, points int);
CREATE FUNCTION add_points(state bigint, points int) RETURNS bigint
    LANGUAGE sql IMMUTABLE RETURN state + COALESCE(points, 0);
CREATE FUNCTION bonus(state bigint) RETURNS bigint LANGUAGE sql IMMUTABLE RETURN state * 2;
CREATE AGGREGATE total_points(int) (SFUNC = add_points, STYPE = bigint, INITCOND = '10',
                                    FINALFUNC = bonus);
COMMENT ON AGGREGATE total_points(int) IS 'twice the sum of points, plus 20';
CREATE VIEW board AS SELECT player, total_points(points) AS total FROM score GROUP BY player;
