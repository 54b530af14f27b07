CREATE TYPE mood AS ENUM ('sad', 'meh', 'ok', 'happy');
CREATE TABLE hero (id int PRIMARY KEY, feeling mood NOT NULL DEFAULT 'ok');
CREATE INDEX hero_feeling ON hero (feeling);
INSERT INTO hero VALUES (1, 'sad'), (2, 'happy');
