-- ender:revision a6c3b8e4f190
-- ender:parents c07e5a11d2f4
-- ender:message add hero contact email, on a second branch
-- ender:upgrade
ALTER TABLE hero ADD COLUMN email text;
CREATE UNIQUE INDEX hero_email ON hero (lower(email));

-- ender:downgrade
ALTER TABLE hero DROP COLUMN email;
