-- b: the trigger and its function are gone
CREATE TABLE hero (id int PRIMARY KEY, name text, updated timestamptz);
