-- b: the domain is gone
CREATE TABLE hero (id int PRIMARY KEY);
