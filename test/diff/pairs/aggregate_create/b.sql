-- b: a plain aggregate (state function, state type, final function, initial condition, comment),
-- a moving-aggregate one with an inverse function, an ordered-set aggregate, and a view using one
CREATE TABLE score (player text, points int);
CREATE FUNCTION add_points(state bigint, points int) RETURNS bigint
    LANGUAGE sql IMMUTABLE RETURN state + COALESCE(points, 0);
CREATE FUNCTION sub_points(state bigint, points int) RETURNS bigint
    LANGUAGE sql IMMUTABLE RETURN state - COALESCE(points, 0);
CREATE FUNCTION points_label(state bigint) RETURNS text
    LANGUAGE sql IMMUTABLE RETURN state || ' points';
CREATE AGGREGATE total_points(int) (
    SFUNC = add_points, STYPE = bigint, FINALFUNC = points_label, INITCOND = '0',
    MSFUNC = add_points, MINVFUNC = sub_points, MSTYPE = bigint, MFINALFUNC = points_label,
    MINITCOND = '0',
    PARALLEL = SAFE);
COMMENT ON AGGREGATE total_points(int) IS 'sum of points, as text';
CREATE FUNCTION joined_final(state text[], sep text) RETURNS text
    LANGUAGE sql IMMUTABLE RETURN array_to_string(state, sep);
CREATE AGGREGATE joined(sep text ORDER BY text) (
    SFUNC = array_append, STYPE = text[], FINALFUNC = joined_final, INITCOND = '{}');
CREATE AGGREGATE biggest(int) (SFUNC = int4larger, STYPE = int, SORTOP = >);
CREATE VIEW board AS SELECT total_points(points) AS total, joined(', ') WITHIN GROUP (ORDER BY player) AS names
    FROM score;
