CREATE TABLE hero (id int PRIMARY KEY, name text NOT NULL, team_id int);
CREATE INDEX hero_team ON hero (team_id);
CREATE TABLE power (hero_id int REFERENCES hero, what text);
INSERT INTO hero VALUES (1, 'Deadpond', 1), (2, 'Spider-Boy', NULL);
