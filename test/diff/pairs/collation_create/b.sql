-- b: an ICU collation (nondeterministic, with a comment) and a libc one, a column using each
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
COMMENT ON COLLATION nocase IS 'case-insensitive';
CREATE COLLATION plain (provider = libc, lc_collate = 'C', lc_ctype = 'C');
CREATE TABLE hero (id int PRIMARY KEY, name text COLLATE nocase, code text COLLATE plain);
