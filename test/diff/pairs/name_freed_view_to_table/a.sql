CREATE TABLE hero (id int PRIMARY KEY, name text);
CREATE VIEW hero_names AS SELECT name FROM hero;
CREATE MATERIALIZED VIEW hero_count AS SELECT count(*) AS n FROM hero;
INSERT INTO hero VALUES (1, 'Deadpond');
