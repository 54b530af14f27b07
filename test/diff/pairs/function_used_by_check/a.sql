CREATE FUNCTION is_code(c text) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN c ~ '^[A-Z]+$';
CREATE TABLE hero (id int PRIMARY KEY, code text CONSTRAINT hero_code_check CHECK (is_code(code)));
INSERT INTO hero VALUES (1, 'DP');
