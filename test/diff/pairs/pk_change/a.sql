CREATE TABLE membership (team_id int NOT NULL, hero_id int NOT NULL, id int NOT NULL PRIMARY KEY);
INSERT INTO membership VALUES (1, 1, 1), (1, 2, 2);
