-- b: the cast's function is gone with it (cast first); the type shade goes with its cast
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE hero (id int PRIMARY KEY, feeling mood);
