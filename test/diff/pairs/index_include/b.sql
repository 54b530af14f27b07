-- b: a covering index
CREATE TABLE hero (id int PRIMARY KEY, team_id int, name text, age int);
CREATE INDEX hero_team_cover ON hero (team_id) INCLUDE (name, age);
