-- a: one table
CREATE TABLE team (id int PRIMARY KEY, name text NOT NULL);
