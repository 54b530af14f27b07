-- b: one index dropped
CREATE TABLE hero (id int PRIMARY KEY, name text, team_id int);
CREATE INDEX hero_team_name ON hero (team_id, name);
