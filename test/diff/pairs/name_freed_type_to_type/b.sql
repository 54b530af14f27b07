-- b: a domain becomes an enum of the same name, an enum a composite type of the same name: a
-- type of another kind is dropped and created (its columns move to the new type through text)
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TYPE size AS (width int, height int);
CREATE TABLE hero (id int PRIMARY KEY, mood text, size text);
