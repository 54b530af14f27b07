CREATE SCHEMA "My Schema";
CREATE TYPE "My Schema"."Mood" AS ENUM ('sad', 'meh', 'ok');
CREATE TABLE hero (id int PRIMARY KEY, feeling "My Schema"."Mood" DEFAULT 'ok', history "My Schema"."Mood"[]);
INSERT INTO hero VALUES (1, 'ok', '{sad,ok}');
