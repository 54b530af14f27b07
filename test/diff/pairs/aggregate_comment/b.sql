-- b: one aggregate gets a comment, the other loses its own (neither is created again)
CREATE AGGREGATE longest(text) (SFUNC = text_larger, STYPE = text);
COMMENT ON AGGREGATE longest(text) IS 'the last text in sort order';
CREATE AGGREGATE shortest(text) (SFUNC = text_smaller, STYPE = text);
