-- b: the configuration docs and the dictionary it maps to are gone (configuration first); notes
-- stays with another dictionary, and the one it mapped to goes
CREATE TEXT SEARCH DICTIONARY plain_words2 (TEMPLATE = simple, accept = true);
CREATE TEXT SEARCH CONFIGURATION notes (PARSER = default);
ALTER TEXT SEARCH CONFIGURATION notes ADD MAPPING FOR asciiword WITH plain_words2;
CREATE TABLE doc (id int PRIMARY KEY, body text);
