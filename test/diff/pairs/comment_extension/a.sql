-- a: pgcrypto with its own comment, plpgsql with a changed one
CREATE EXTENSION pgcrypto;
COMMENT ON EXTENSION plpgsql IS 'procedures';
