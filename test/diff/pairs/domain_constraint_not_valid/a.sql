CREATE DOMAIN code AS text;
CREATE TABLE hero (id int PRIMARY KEY, c code);
INSERT INTO hero VALUES (1, 'lower');
