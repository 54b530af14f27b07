-- b: a materialized view with a unique index and a plain index
CREATE TABLE hero (id int PRIMARY KEY, team_id int);
CREATE MATERIALIZED VIEW team_sizes AS SELECT team_id, count(*) AS n FROM hero GROUP BY team_id;
CREATE UNIQUE INDEX team_sizes_team ON team_sizes (team_id);
CREATE INDEX team_sizes_n ON team_sizes (n DESC);
