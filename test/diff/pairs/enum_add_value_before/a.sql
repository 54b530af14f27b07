CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE hero (id int PRIMARY KEY, feeling mood);
INSERT INTO hero VALUES (1, 'happy');
