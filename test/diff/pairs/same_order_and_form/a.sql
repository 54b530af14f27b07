-- a: objects created in one order, constraints inline
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE SEQUENCE ticket_no INCREMENT 2 START 10 CACHE 5;
CREATE TABLE team (id int PRIMARY KEY, name text UNIQUE);
CREATE TABLE hero (
    id int PRIMARY KEY,
    team_id int REFERENCES team (id) ON DELETE CASCADE,
    feeling mood,
    ticket int DEFAULT nextval('ticket_no')
);
CREATE INDEX hero_team ON hero (team_id);
COMMENT ON TABLE hero IS 'heroes';
