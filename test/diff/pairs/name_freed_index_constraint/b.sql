-- b: hero's index hero_code becomes a unique constraint of the same name, and team's unique
-- constraint team_name becomes an index on hero of the same name
CREATE TABLE hero (id int PRIMARY KEY, name text, code text, CONSTRAINT hero_code UNIQUE (code));
CREATE INDEX team_name ON hero (name);
CREATE TABLE team (id int PRIMARY KEY, name text);
