-- a: int keys across a graph of foreign keys, including a cycle (team.captain_id -> hero)
CREATE TABLE team (id int PRIMARY KEY, name text NOT NULL, captain_id int);
CREATE TABLE hero (id int PRIMARY KEY, team_id int REFERENCES team (id), mentor_id int REFERENCES hero (id));
CREATE TABLE mission (id int PRIMARY KEY, team_id int NOT NULL REFERENCES team (id) ON DELETE CASCADE);
CREATE TABLE mission_hero (mission_id int REFERENCES mission (id), hero_id int REFERENCES hero (id),
                           PRIMARY KEY (mission_id, hero_id));
ALTER TABLE team ADD CONSTRAINT team_captain_fkey FOREIGN KEY (captain_id) REFERENCES hero (id)
    DEFERRABLE INITIALLY DEFERRED;
INSERT INTO team VALUES (1, 'Preventers', NULL);
INSERT INTO hero VALUES (1, 1, NULL), (2, 1, 1);
UPDATE team SET captain_id = 1;
INSERT INTO mission VALUES (1, 1);
INSERT INTO mission_hero VALUES (1, 1), (1, 2);
