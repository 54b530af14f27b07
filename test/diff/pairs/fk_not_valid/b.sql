-- b: a foreign key that is NOT VALID (the target keeps it unvalidated)
CREATE TABLE team (id int PRIMARY KEY);
CREATE TABLE hero (id int PRIMARY KEY, team_id int);
ALTER TABLE hero ADD CONSTRAINT hero_team_id_fkey FOREIGN KEY (team_id) REFERENCES team (id) NOT VALID;
