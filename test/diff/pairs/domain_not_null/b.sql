-- b: NOT NULL moves from one domain to the other
CREATE DOMAIN posint AS int NOT NULL;
CREATE DOMAIN label AS text;
CREATE TABLE hero (id int PRIMARY KEY, level posint);
