CREATE DOMAIN mood AS text CHECK (VALUE <> '');
CREATE TYPE size AS ENUM ('s', 'm', 'l');
CREATE TABLE hero (id int PRIMARY KEY, mood mood, size size);
INSERT INTO hero VALUES (1, 'happy', 'm');
