CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION german (provider = icu, locale = 'de-DE');
CREATE TABLE hero (id int PRIMARY KEY, name text COLLATE nocase);
INSERT INTO hero VALUES (1, 'Deadpond');
