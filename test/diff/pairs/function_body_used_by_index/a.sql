CREATE FUNCTION norm(t text) RETURNS text LANGUAGE sql IMMUTABLE RETURN lower(t);
CREATE TABLE hero (id int PRIMARY KEY, name text);
CREATE INDEX hero_name_norm ON hero (norm(name));
