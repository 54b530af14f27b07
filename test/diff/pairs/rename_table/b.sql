-- b: table hero renamed to person, with its key, index and the foreign key that references it
CREATE TABLE person (id int CONSTRAINT person_pkey PRIMARY KEY, name text NOT NULL, team_id int);
CREATE INDEX person_team ON person (team_id);
CREATE TABLE power (hero_id int CONSTRAINT power_person_fkey REFERENCES person, what text);
