CREATE DOMAIN posint AS int;
CREATE DOMAIN label AS text NOT NULL;
CREATE TABLE hero (id int PRIMARY KEY, level posint);
INSERT INTO hero VALUES (1, 3);
