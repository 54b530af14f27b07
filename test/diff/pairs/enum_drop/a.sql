CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE unused AS ENUM ('x');
CREATE TABLE hero (id int PRIMARY KEY, feeling mood DEFAULT 'ok');
