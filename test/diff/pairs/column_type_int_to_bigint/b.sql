-- b: two int columns become bigint (one is the key, one is indexed)
CREATE TABLE hero (id bigint PRIMARY KEY, team_id bigint, score int NOT NULL DEFAULT 0);
CREATE INDEX hero_team_id ON hero (team_id);
