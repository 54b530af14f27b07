CREATE DOMAIN posint AS int CONSTRAINT posint_check CHECK (VALUE > 0);
CREATE TABLE hero (id int PRIMARY KEY, level posint);
INSERT INTO hero VALUES (1, 5);
