-- b: a column moved from one collation to another, another given one, a comment changed
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE COLLATION german (provider = icu, locale = 'de-DE');
COMMENT ON COLLATION german IS 'German (Germany)';
CREATE TABLE hero (id int PRIMARY KEY, name text COLLATE german, city text COLLATE "C");
INSERT INTO hero VALUES (1, 'Deadpond', 'Köln');
