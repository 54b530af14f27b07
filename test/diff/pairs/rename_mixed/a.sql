CREATE SCHEMA game;
CREATE TYPE game.rank AS ENUM ('rookie', 'veteran');
CREATE TABLE game.team (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE game.hero (
    id int PRIMARY KEY,
    team_id int REFERENCES game.team,
    handle varchar(40) NOT NULL,
    level game.rank DEFAULT 'rookie'
);
CREATE INDEX hero_handle ON game.hero (handle);
CREATE VIEW game.roster AS SELECT t.name AS team, h.handle FROM game.hero h JOIN game.team t ON t.id = h.team_id;
INSERT INTO game.team VALUES (1, 'Preventers');
INSERT INTO game.hero VALUES (1, 1, 'Deadpond', 'veteran');
