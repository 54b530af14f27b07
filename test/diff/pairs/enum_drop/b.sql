-- b: the enums and the column that used one are gone
CREATE TABLE hero (id int PRIMARY KEY);
