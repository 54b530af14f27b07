CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE hero (id int PRIMARY KEY, feeling mood);
INSERT INTO hero VALUES (1, 'ok');
