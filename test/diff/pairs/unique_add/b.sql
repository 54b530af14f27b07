-- b: a single-column and a two-column unique constraint
CREATE TABLE hero (id int PRIMARY KEY, email text UNIQUE, team_id int, name text,
                   CONSTRAINT hero_team_name UNIQUE (team_id, name));
