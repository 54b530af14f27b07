-- b: the composite type is gone
CREATE TABLE hero (id int PRIMARY KEY);
