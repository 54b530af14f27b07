CREATE TYPE floatrange AS RANGE (SUBTYPE = float8);
COMMENT ON TYPE floatrange IS 'a span of floats';
CREATE TYPE intspan AS RANGE (SUBTYPE = int4);
