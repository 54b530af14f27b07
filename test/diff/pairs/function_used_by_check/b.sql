-- b: the function used by a check changes its argument type (text -> varchar) and body: a new
--    function replaces the old one, so the check must be dropped and re-added around the change
CREATE FUNCTION is_code(c varchar) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN c ~ '^[A-Z0-9]+$';
CREATE TABLE hero (id int PRIMARY KEY, code text CONSTRAINT hero_code_check CHECK (is_code(code)));
