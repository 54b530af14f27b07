-- ender:revision svc0001accts
-- ender:message accounts
-- ender:upgrade
CREATE TABLE account (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    email text
);
INSERT INTO account (name) VALUES ('ada'), ('grace'), ('linus');

-- ender:downgrade
DROP TABLE account;
