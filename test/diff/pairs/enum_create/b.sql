-- b: a new enum, and a new column using it
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE hero (id int PRIMARY KEY, feeling mood DEFAULT 'ok');
