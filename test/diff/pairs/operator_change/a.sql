CREATE FUNCTION same_parity(a int, b int) RETURNS boolean
    LANGUAGE sql IMMUTABLE RETURN a % 2 = b % 2;
CREATE FUNCTION same_parity_text(a text, b text) RETURNS boolean
    LANGUAGE sql IMMUTABLE RETURN length(a) % 2 = length(b) % 2;
CREATE OPERATOR === (FUNCTION = same_parity, LEFTARG = int, RIGHTARG = int, RESTRICT = eqsel,
                     JOIN = eqjoinsel);
COMMENT ON OPERATOR === (int, int) IS 'same parity';
CREATE OPERATOR === (FUNCTION = same_parity_text, LEFTARG = text, RIGHTARG = text);
