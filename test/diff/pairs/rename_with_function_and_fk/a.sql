CREATE TABLE team (id int PRIMARY KEY, name text);
CREATE TABLE hero (id int PRIMARY KEY, team int REFERENCES team (id), name text);
CREATE FUNCTION team_size(t int) RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT count(*) FROM hero WHERE hero.team = t; END;
CREATE TABLE audit (id int GENERATED ALWAYS AS IDENTITY, hero_name text, loud text GENERATED ALWAYS AS (upper(hero_name)) STORED);
INSERT INTO team VALUES (1, 'Preventers');
INSERT INTO hero VALUES (1, 1, 'Deadpond');
