-- ender:revision 5d9e0f3a7b21
-- ender:parents c07e5a11d2f4
-- ender:branch powers
-- ender:message powers, on their own branch
-- ender:upgrade
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

-- ender:downgrade
DROP TABLE hero_power;
DROP TABLE power;
