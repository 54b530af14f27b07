-- b: a view and a materialized view are replaced by a table and a sequence of the same names
CREATE TABLE hero (id int PRIMARY KEY, name text);
CREATE TABLE hero_names (name text);
CREATE SEQUENCE hero_count;
