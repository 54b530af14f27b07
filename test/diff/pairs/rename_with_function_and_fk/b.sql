-- b: column team (referencing team.id) renamed to team_id and team.id to team_no: the foreign
-- key and the SQL-standard function body follow; a column used by a generated column renamed
CREATE TABLE team (team_no int PRIMARY KEY, name text);
CREATE TABLE hero (id int PRIMARY KEY, team_id int CONSTRAINT hero_team_fkey REFERENCES team (team_no), name text);
CREATE FUNCTION team_size(t int) RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT count(*) FROM hero WHERE hero.team_id = t; END;
CREATE TABLE audit (id int GENERATED ALWAYS AS IDENTITY, who text, loud text GENERATED ALWAYS AS (upper(who)) STORED);
