-- Team/Hero, v3: hero roles (an enum), no secret names, levels become bigint under a view,
-- a roster view over a join, a stricter age check, team founding dates
CREATE TYPE hero_role AS ENUM ('member', 'leader', 'reserve');
CREATE TABLE team (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    headquarters text NOT NULL,
    founded date
);
CREATE TABLE hero (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    age integer CONSTRAINT hero_age_check CHECK (age >= 0 AND age < 200),
    team_id bigint REFERENCES team (id) ON DELETE SET NULL,
    email text,
    role hero_role NOT NULL DEFAULT 'member'
);
CREATE INDEX hero_team_id ON hero (team_id);
CREATE UNIQUE INDEX hero_email ON hero (lower(email));
CREATE INDEX hero_role_idx ON hero (role) WHERE role <> 'member';
CREATE TABLE power (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE
);
CREATE TABLE hero_power (
    hero_id bigint NOT NULL REFERENCES hero (id) ON DELETE CASCADE,
    power_id bigint NOT NULL REFERENCES power (id) ON DELETE CASCADE,
    level bigint NOT NULL DEFAULT 1 CHECK (level BETWEEN 1 AND 10),
    PRIMARY KEY (hero_id, power_id)
);
CREATE VIEW hero_power_levels AS SELECT hero_id, sum(level) AS total FROM hero_power GROUP BY hero_id;
CREATE VIEW team_roster AS
    SELECT t.name AS team, h.name AS hero, h.role FROM team t JOIN hero h ON h.team_id = t.id;
COMMENT ON VIEW team_roster IS 'who is in which team';
