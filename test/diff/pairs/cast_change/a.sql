CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE FUNCTION mood_score(m mood) RETURNS int
    LANGUAGE sql IMMUTABLE RETURN array_position(enum_range(NULL::mood), m);
CREATE FUNCTION mood_label(m mood) RETURNS text LANGUAGE sql IMMUTABLE RETURN 'feeling ' || m;
CREATE CAST (mood AS int) WITH FUNCTION mood_score(mood);
CREATE CAST (mood AS text) WITH INOUT;
COMMENT ON CAST (mood AS text) IS 'the label';
CREATE CAST (mood AS smallint) WITH INOUT;
