-- b: the integer operator's estimators change (altered in place) and its comment; the text one
-- becomes its own commutator and hashes (dropped and created again)
CREATE FUNCTION same_parity(a int, b int) RETURNS boolean
    LANGUAGE sql IMMUTABLE RETURN a % 2 = b % 2;
CREATE FUNCTION same_parity_text(a text, b text) RETURNS boolean
    LANGUAGE sql IMMUTABLE RETURN length(a) % 2 = length(b) % 2;
CREATE OPERATOR === (FUNCTION = same_parity, LEFTARG = int, RIGHTARG = int, RESTRICT = scalarlesel);
COMMENT ON OPERATOR === (int, int) IS 'same parity of two integers';
CREATE OPERATOR === (FUNCTION = same_parity_text, LEFTARG = text, RIGHTARG = text,
                     COMMUTATOR = ===, HASHES);
