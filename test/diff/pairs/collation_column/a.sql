CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION german (provider = icu, locale = 'de-DE');
COMMENT ON COLLATION german IS 'German';
CREATE TABLE hero (id int PRIMARY KEY, name text COLLATE nocase, city text);
INSERT INTO hero VALUES (1, 'Deadpond', 'Köln');
