-- b: schema game renamed to league; in it the enum rank to tier (one label added), table hero to
-- player with handle renamed to nickname and widened to text, its index renamed, a new column;
-- team unchanged but for a new column; the view over both follows the renames but is rebuilt
-- because a column it reads is retyped
CREATE SCHEMA league;
CREATE TYPE league.tier AS ENUM ('rookie', 'veteran', 'legend');
CREATE TABLE league.team (id int PRIMARY KEY, name text NOT NULL, city text);
CREATE TABLE league.player (
    id int CONSTRAINT hero_pkey PRIMARY KEY,
    team_id int CONSTRAINT hero_team_id_fkey REFERENCES league.team,
    nickname text NOT NULL,
    level league.tier DEFAULT 'rookie',
    joined date
);
CREATE INDEX player_nickname ON league.player (nickname);
CREATE VIEW league.roster AS SELECT t.name AS team, h.nickname AS handle FROM league.player h JOIN league.team t ON t.id = h.team_id;
