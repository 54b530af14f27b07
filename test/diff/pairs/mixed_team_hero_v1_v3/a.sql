-- Team/Hero, v1: teams and heroes (examples/team_hero, first two revisions and the seed)
CREATE TABLE team (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    headquarters text NOT NULL
);
CREATE TABLE hero (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    secret_name text NOT NULL,
    age integer CHECK (age >= 0),
    team_id bigint REFERENCES team (id) ON DELETE SET NULL
);
CREATE INDEX hero_team_id ON hero (team_id);
INSERT INTO team (name, headquarters) VALUES ('Preventers', 'Sharp Tower'), ('Z-Force', 'Sister Margaret''s Bar');
INSERT INTO hero (name, secret_name, age, team_id) VALUES
    ('Deadpond', 'Dive Wilson', NULL, 2), ('Rusty-Man', 'Tommy Sharp', 48, 1), ('Spider-Boy', 'Pedro Parqueador', NULL, NULL);
