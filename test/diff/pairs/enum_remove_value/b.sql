-- b: a value is removed: the type must be rebuilt and the column (default, index) moved over
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE hero (id int PRIMARY KEY, feeling mood NOT NULL DEFAULT 'ok');
CREATE INDEX hero_feeling ON hero (feeling);
