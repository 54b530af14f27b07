-- b: the operator !== and its function are gone; === stays, without its negator
CREATE FUNCTION same_parity(a int, b int) RETURNS boolean
    LANGUAGE sql IMMUTABLE RETURN a % 2 = b % 2;
CREATE OPERATOR === (FUNCTION = same_parity, LEFTARG = int, RIGHTARG = int, COMMUTATOR = ===);
CREATE TABLE point2 (x int, y int);
