CREATE SCHEMA other;
CREATE TYPE other.shade AS ENUM ('red', 'green', 'blue');
CREATE TYPE other.colour AS ENUM ('red', 'green', 'blue', 'black');
CREATE TYPE public.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE paint (
    id int PRIMARY KEY,
    tint other.shade NOT NULL DEFAULT 'red',
    feeling public.mood,
    label text,
    tints other.shade[]
);
INSERT INTO paint VALUES (1, 'green', 'ok', 'happy', '{red,blue}'), (2, 'blue', NULL, 'sad', NULL);
