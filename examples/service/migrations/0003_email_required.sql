-- ender:revision svc0003req
-- ender:parents svc0002email
-- ender:message email is required
-- ender:upgrade
ALTER TABLE account ALTER COLUMN email SET NOT NULL;

-- ender:downgrade
ALTER TABLE account ALTER COLUMN email DROP NOT NULL;
