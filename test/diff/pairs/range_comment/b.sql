-- b: one range type's comment changes, the other gets one
CREATE TYPE floatrange AS RANGE (SUBTYPE = float8);
COMMENT ON TYPE floatrange IS 'a span of doubles';
CREATE TYPE intspan AS RANGE (SUBTYPE = int4);
COMMENT ON TYPE intspan IS 'a span of integers';
