-- Team/Hero, v2: powers through a link table that carries a level, a view over it, hero emails
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
    team_id bigint REFERENCES team (id) ON DELETE SET NULL,
    email text
);
CREATE INDEX hero_team_id ON hero (team_id);
CREATE UNIQUE INDEX hero_email ON hero (lower(email));
CREATE TABLE power (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE
);
CREATE TABLE hero_power (
    hero_id bigint NOT NULL REFERENCES hero (id) ON DELETE CASCADE,
    power_id bigint NOT NULL REFERENCES power (id) ON DELETE CASCADE,
    level integer NOT NULL DEFAULT 1,
    PRIMARY KEY (hero_id, power_id)
);
CREATE VIEW hero_power_levels AS SELECT hero_id, sum(level) AS total FROM hero_power GROUP BY hero_id;
INSERT INTO team (name, headquarters) VALUES ('Preventers', 'Sharp Tower'), ('Z-Force', 'Sister Margaret''s Bar');
INSERT INTO hero (name, secret_name, age, team_id) VALUES
    ('Deadpond', 'Dive Wilson', NULL, 2), ('Rusty-Man', 'Tommy Sharp', 48, 1), ('Spider-Boy', 'Pedro Parqueador', NULL, NULL);
INSERT INTO power (name) VALUES ('regeneration'), ('flight');
INSERT INTO hero_power VALUES (1, 1, 3), (2, 2, 1);
