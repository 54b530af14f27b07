-- b: a function becomes a procedure of the same signature, a procedure a function, and a
-- function changes its result type and argument name
CREATE PROCEDURE score(n int) LANGUAGE sql AS 'SELECT n';
CREATE FUNCTION reset(n int) RETURNS int LANGUAGE sql AS 'SELECT n';
CREATE FUNCTION label(y text) RETURNS varchar LANGUAGE sql AS 'SELECT lower(y)';
