-- ender:revision 8b41d07c52e9
-- ender:parents 3f2a9c0e1b7d
-- ender:message create hero
-- ender:upgrade
CREATE TABLE hero (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    secret_name text NOT NULL,
    age integer CHECK (age >= 0),
    team_id bigint REFERENCES team (id) ON DELETE SET NULL
);
CREATE INDEX hero_team_id ON hero (team_id);

-- ender:downgrade
DROP TABLE hero;
