CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE FUNCTION mood_score(m mood) RETURNS int
    LANGUAGE sql IMMUTABLE RETURN array_position(enum_range(NULL::mood), m);
CREATE CAST (mood AS int) WITH FUNCTION mood_score(mood) AS ASSIGNMENT;
COMMENT ON CAST (mood AS int) IS 'position in the enum';
CREATE TYPE shade AS ENUM ('light', 'dark');
CREATE CAST (shade AS text) WITH INOUT;
CREATE TABLE hero (id int PRIMARY KEY, feeling mood);
