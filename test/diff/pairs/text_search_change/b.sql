-- b: a dictionary gains an option, one loses its option and its comment, one changes template
-- (created again, with the configuration that maps to it); mappings are changed, added and
-- dropped; a configuration's comment changes
CREATE TEXT SEARCH DICTIONARY english_snow (TEMPLATE = snowball, language = 'english',
                                            stopwords = 'english');
CREATE TEXT SEARCH DICTIONARY plain_words (TEMPLATE = simple);
CREATE TEXT SEARCH DICTIONARY stems (TEMPLATE = snowball, language = 'english');
CREATE TEXT SEARCH CONFIGURATION docs (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION docs ADD MAPPING FOR asciiword WITH plain_words, english_snow;
ALTER TEXT SEARCH CONFIGURATION docs ADD MAPPING FOR word WITH plain_words;
ALTER TEXT SEARCH CONFIGURATION docs ADD MAPPING FOR int, uint WITH simple;
COMMENT ON TEXT SEARCH CONFIGURATION docs IS 'for documents';
CREATE TEXT SEARCH CONFIGURATION notes (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION notes ADD MAPPING FOR asciiword WITH stems;
COMMENT ON TEXT SEARCH CONFIGURATION notes IS 'for notes';
