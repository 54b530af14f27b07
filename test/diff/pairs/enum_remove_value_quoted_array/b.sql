-- b: a label is removed from an enum with a quoted name, used by a column and an array column
CREATE SCHEMA "My Schema";
CREATE TYPE "My Schema"."Mood" AS ENUM ('sad', 'ok');
CREATE TABLE hero (id int PRIMARY KEY, feeling "My Schema"."Mood" DEFAULT 'ok', history "My Schema"."Mood"[]);
