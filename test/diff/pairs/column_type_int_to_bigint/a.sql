CREATE TABLE hero (id int PRIMARY KEY, team_id int, score int NOT NULL DEFAULT 0);
CREATE INDEX hero_team_id ON hero (team_id);
INSERT INTO hero VALUES (1, 10, 5), (2, NULL, 7);
