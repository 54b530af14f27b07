-- b: varchar widened and a varchar turned into text (no rewrite needed)
CREATE TABLE hero (id int PRIMARY KEY, name varchar(100) NOT NULL, code text);
