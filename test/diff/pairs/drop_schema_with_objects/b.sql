-- b: the whole schema is gone
CREATE TABLE keep (id int);
