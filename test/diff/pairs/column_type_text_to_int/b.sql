-- b: text becomes integer: no implicit cast, needs USING (the diff may refuse)
CREATE TABLE hero (id int PRIMARY KEY, age integer);
