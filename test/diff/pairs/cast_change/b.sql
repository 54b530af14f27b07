-- b: one cast becomes implicit, one goes through a function instead of text (both dropped and
-- created again), one only changes its comment
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE FUNCTION mood_score(m mood) RETURNS int
    LANGUAGE sql IMMUTABLE RETURN array_position(enum_range(NULL::mood), m);
CREATE FUNCTION mood_label(m mood) RETURNS text LANGUAGE sql IMMUTABLE RETURN 'feeling ' || m;
CREATE CAST (mood AS int) WITH FUNCTION mood_score(mood) AS IMPLICIT;
CREATE CAST (mood AS text) WITH FUNCTION mood_label(mood);
COMMENT ON CAST (mood AS text) IS 'the label';
CREATE CAST (mood AS smallint) WITH INOUT;
COMMENT ON CAST (mood AS smallint) IS 'position in the enum';
