-- b: indexes with an operator class and a collation, and a storage parameter
CREATE TABLE hero (id int PRIMARY KEY, name text);
CREATE INDEX hero_name_pattern ON hero (name text_pattern_ops);
CREATE INDEX hero_name_c ON hero (name COLLATE "C") WITH (fillfactor = 70);
