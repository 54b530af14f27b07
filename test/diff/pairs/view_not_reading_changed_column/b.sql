-- b: hero.score becomes bigint and hero.nickname goes. Only the view that reads score is
-- rebuilt; the views (and the materialized view) over hero that read neither column, a view
-- over one of them, and a view of whole rows are left alone (file untouched).
CREATE TABLE hero (id int PRIMARY KEY, name text, score bigint);
CREATE VIEW hero_names AS SELECT id, name FROM hero;
CREATE VIEW hero_count AS SELECT count(*) AS heroes FROM hero;
CREATE VIEW hero_rows AS SELECT h AS row, h.name FROM hero h;
CREATE VIEW named_heroes AS SELECT name FROM hero_names WHERE name IS NOT NULL;
CREATE VIEW hero_scores AS SELECT id, score FROM hero;
CREATE MATERIALIZED VIEW hero_name_list AS SELECT name FROM hero;
