CREATE TABLE hero (id int PRIMARY KEY, name text, score int, nickname text);
CREATE VIEW hero_names AS SELECT id, name FROM hero;
CREATE VIEW hero_count AS SELECT count(*) AS heroes FROM hero;
CREATE VIEW hero_rows AS SELECT h AS row, h.name FROM hero h;
CREATE VIEW named_heroes AS SELECT name FROM hero_names WHERE name IS NOT NULL;
CREATE VIEW hero_scores AS SELECT id, score FROM hero;
CREATE MATERIALIZED VIEW hero_name_list AS SELECT name FROM hero;
INSERT INTO hero VALUES (1, 'Deadpond', 150, 'dp');
