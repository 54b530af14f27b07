-- b: the defaults are dropped
CREATE TABLE hero (id int PRIMARY KEY, level int, created timestamptz);
