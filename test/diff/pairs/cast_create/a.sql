CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE pair AS (a int, b int);
CREATE TABLE hero (id int PRIMARY KEY, feeling mood);
INSERT INTO hero VALUES (1, 'ok');
