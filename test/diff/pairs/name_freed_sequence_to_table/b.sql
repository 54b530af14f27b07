-- b: the sequence counter goes, and a table takes its name (both are relations of one schema)
CREATE TABLE hero (id int PRIMARY KEY, name text);
CREATE TABLE counter (id int PRIMARY KEY, n bigint);
