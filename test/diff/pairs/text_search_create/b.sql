-- b: two dictionaries (templates with options), a configuration copied from english whose
-- mappings are then changed, a comment on each kind, an index that uses the configuration
CREATE TEXT SEARCH DICTIONARY english_snow (TEMPLATE = snowball, language = 'english',
                                            stopwords = 'english');
COMMENT ON TEXT SEARCH DICTIONARY english_snow IS 'snowball stemmer';
CREATE TEXT SEARCH DICTIONARY plain_words (TEMPLATE = simple, accept = false);
CREATE TEXT SEARCH CONFIGURATION docs (COPY = english);
ALTER TEXT SEARCH CONFIGURATION docs ALTER MAPPING FOR asciiword, word
    WITH plain_words, english_snow;
ALTER TEXT SEARCH CONFIGURATION docs DROP MAPPING FOR email, url;
COMMENT ON TEXT SEARCH CONFIGURATION docs IS 'for documents';
CREATE TEXT SEARCH CONFIGURATION bare (PARSER = default);
CREATE TABLE doc (id int PRIMARY KEY, body text);
CREATE INDEX doc_body ON doc USING gin (to_tsvector('public.docs', body));
