-- b: the key moves from id to (team_id, hero_id), same constraint name
CREATE TABLE membership (team_id int NOT NULL, hero_id int NOT NULL, id int NOT NULL,
                         CONSTRAINT membership_pkey PRIMARY KEY (team_id, hero_id));
