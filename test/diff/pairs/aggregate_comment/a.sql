CREATE AGGREGATE longest(text) (SFUNC = text_larger, STYPE = text);
CREATE AGGREGATE shortest(text) (SFUNC = text_smaller, STYPE = text);
COMMENT ON AGGREGATE shortest(text) IS 'the first text in sort order';
