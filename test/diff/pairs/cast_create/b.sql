-- b: casts with a function (assignment) and through text (implicit, explicit), one with a
-- comment, and a column default that uses one
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE pair AS (a int, b int);
CREATE FUNCTION mood_score(m mood) RETURNS int
    LANGUAGE sql IMMUTABLE RETURN array_position(enum_range(NULL::mood), m);
CREATE CAST (mood AS int) WITH FUNCTION mood_score(mood) AS ASSIGNMENT;
COMMENT ON CAST (mood AS int) IS 'position in the enum';
CREATE CAST (pair AS text) WITH INOUT AS IMPLICIT;
CREATE CAST (mood AS varchar) WITH INOUT;
CREATE TABLE hero (id int PRIMARY KEY, feeling mood, rank int DEFAULT CAST('ok'::mood AS int));
