-- ender:revision e2f7a0c9d4b6
-- ender:parents 5d9e0f3a7b21, a6c3b8e4f190
-- ender:message merge the powers and email branches
-- ender:upgrade

-- ender:downgrade
