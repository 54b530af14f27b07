CREATE FUNCTION same_parity(a int, b int) RETURNS boolean
    LANGUAGE sql IMMUTABLE RETURN a % 2 = b % 2;
CREATE FUNCTION other_parity(a int, b int) RETURNS boolean
    LANGUAGE sql IMMUTABLE RETURN a % 2 <> b % 2;
CREATE OPERATOR === (FUNCTION = same_parity, LEFTARG = int, RIGHTARG = int, COMMUTATOR = ===,
                     NEGATOR = !==);
CREATE OPERATOR !== (FUNCTION = other_parity, LEFTARG = int, RIGHTARG = int, COMMUTATOR = !==,
                     NEGATOR = ===);
COMMENT ON OPERATOR !== (int, int) IS 'different parity';
CREATE TABLE point2 (x int, y int);
