CREATE TABLE hero (id int PRIMARY KEY, team_id int);
CREATE MATERIALIZED VIEW team_sizes AS SELECT team_id, count(*) AS n FROM hero GROUP BY team_id;
CREATE INDEX team_sizes_n ON team_sizes (n);
