-- b: no primary key (the column keeps NOT NULL)
CREATE TABLE hero (id int NOT NULL, name text);
