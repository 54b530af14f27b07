-- b: the body of a function used by an expression index changes (CREATE OR REPLACE; the
--    index is reported or rebuilt, the documents then agree)
CREATE FUNCTION norm(t text) RETURNS text LANGUAGE sql IMMUTABLE RETURN lower(trim(t));
CREATE TABLE hero (id int PRIMARY KEY, name text);
CREATE INDEX hero_name_norm ON hero (norm(name));
