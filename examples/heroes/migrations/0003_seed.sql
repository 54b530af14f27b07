-- ender:revision c07e5a11d2f4
-- ender:parents 8b41d07c52e9
-- ender:message seed the first teams and heroes
-- ender:upgrade
INSERT INTO team (name, headquarters) VALUES
    ('Preventers', 'Sharp Tower'),
    ('Z-Force', 'Sister Margaret''s Bar');
INSERT INTO hero (name, secret_name, age, team_id) VALUES
    ('Deadpond', 'Dive Wilson', NULL, (SELECT id FROM team WHERE name = 'Z-Force')),
    ('Rusty-Man', 'Tommy Sharp', 48, (SELECT id FROM team WHERE name = 'Preventers')),
    ('Spider-Boy', 'Pedro Parqueador', NULL, NULL);

-- ender:downgrade
DELETE FROM hero;
DELETE FROM team;
