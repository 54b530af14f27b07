CREATE TABLE hero (id int PRIMARY KEY, team_id int);
CREATE MATERIALIZED VIEW team_sizes AS SELECT team_id, count(*) AS n FROM hero GROUP BY team_id;
