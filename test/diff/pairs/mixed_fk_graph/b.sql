-- b: every key and referencing column becomes bigint (foreign keys are dropped and re-added
--    around the type changes), mission_hero references mission ON DELETE CASCADE, hero.mentor_id
--    loses its foreign key
CREATE TABLE team (id bigint PRIMARY KEY, name text NOT NULL, captain_id bigint);
CREATE TABLE hero (id bigint PRIMARY KEY, team_id bigint REFERENCES team (id), mentor_id bigint);
CREATE TABLE mission (id bigint PRIMARY KEY, team_id bigint NOT NULL REFERENCES team (id) ON DELETE CASCADE);
CREATE TABLE mission_hero (mission_id bigint REFERENCES mission (id) ON DELETE CASCADE,
                           hero_id bigint REFERENCES hero (id), PRIMARY KEY (mission_id, hero_id));
ALTER TABLE team ADD CONSTRAINT team_captain_fkey FOREIGN KEY (captain_id) REFERENCES hero (id)
    DEFERRABLE INITIALLY DEFERRED;
