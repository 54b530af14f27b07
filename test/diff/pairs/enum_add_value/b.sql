-- b: a value appended at the end
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE hero (id int PRIMARY KEY, feeling mood);
