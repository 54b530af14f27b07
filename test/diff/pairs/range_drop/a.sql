-- a: range types (one with a difference function and a comment, one over text with its own
-- collation, operator class and multirange type name) and columns that use them
CREATE TYPE floatrange AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = float8mi);
COMMENT ON TYPE floatrange IS 'a span of floats';
CREATE TYPE namerange AS RANGE (SUBTYPE = text, COLLATION = "C", SUBTYPE_OPCLASS = text_pattern_ops,
                                MULTIRANGE_TYPE_NAME = name_ranges);
CREATE TABLE hero (id int PRIMARY KEY, name text, reach floatrange, names namerange, many name_ranges);
INSERT INTO hero VALUES (1, 'Deadpond', '[1.5,2.5)', '[a,b)', '{[a,c)}');
