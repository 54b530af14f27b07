-- b: a pair of operators that are each other's negator, one its own commutator, with
-- selectivity estimators, HASHES and MERGES flags and a comment; a prefix operator
CREATE FUNCTION same_parity(a int, b int) RETURNS boolean
    LANGUAGE sql IMMUTABLE RETURN a % 2 = b % 2;
CREATE FUNCTION other_parity(a int, b int) RETURNS boolean
    LANGUAGE sql IMMUTABLE RETURN a % 2 <> b % 2;
CREATE FUNCTION halve(a int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a / 2;
CREATE OPERATOR === (FUNCTION = same_parity, LEFTARG = int, RIGHTARG = int, COMMUTATOR = ===,
                     NEGATOR = !==, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR !== (FUNCTION = other_parity, LEFTARG = int, RIGHTARG = int, COMMUTATOR = !==,
                     NEGATOR = ===, RESTRICT = neqsel, JOIN = neqjoinsel);
COMMENT ON OPERATOR === (int, int) IS 'same parity';
CREATE OPERATOR ~/ (FUNCTION = halve, RIGHTARG = int);
CREATE TABLE point2 (x int, y int);
CREATE VIEW even_points AS SELECT x, y FROM point2 WHERE x === 0;
