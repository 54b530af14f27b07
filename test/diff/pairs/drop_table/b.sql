-- b: one is dropped
CREATE TABLE team (id int PRIMARY KEY, name text NOT NULL);
