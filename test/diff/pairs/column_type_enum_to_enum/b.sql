-- b: paint.tint moves from one enum to another (with another default), feeling from an enum
-- to text, label from text to an enum, tints from an array of one enum to an array of another;
-- other.shade is no longer used and goes.
CREATE SCHEMA other;
CREATE TYPE other.colour AS ENUM ('red', 'green', 'blue', 'black');
CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE paint (
    id int PRIMARY KEY,
    tint other.colour NOT NULL DEFAULT 'black',
    feeling text,
    label public.mood,
    tints other.colour[]
);
