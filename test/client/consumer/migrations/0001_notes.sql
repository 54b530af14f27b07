-- ender:revision consumer0001
-- ender:message notes (a file compiled into consumer_embedded by the installed package's
-- ender:message ender_embed_migrations)
-- ender:upgrade
CREATE TABLE note (id bigint PRIMARY KEY, body text NOT NULL);
-- ender:downgrade
DROP TABLE note;
