-- ender:revision 3f2a9c0e1b7d
-- ender:message create team
-- ender:upgrade
CREATE TABLE team (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    headquarters text NOT NULL
);

-- ender:downgrade
DROP TABLE team;
