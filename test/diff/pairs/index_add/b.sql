-- b: a plain and a two-column index
CREATE TABLE hero (id int PRIMARY KEY, name text, team_id int);
CREATE INDEX hero_name ON hero (name);
CREATE INDEX hero_team_name ON hero (team_id, name);
