CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE DOMAIN posint AS int CONSTRAINT positive CHECK (VALUE > 0);
CREATE TYPE address AS (street text, town text);
CREATE TABLE hero (id int PRIMARY KEY, feeling mood DEFAULT 'happy', age posint, home address);
INSERT INTO hero VALUES (1, 'sad', 30, ROW('Main St', 'Springfield'));
