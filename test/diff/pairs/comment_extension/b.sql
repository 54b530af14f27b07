-- b: the comment on pgcrypto changes, plpgsql's is back to its own
CREATE EXTENSION pgcrypto;
COMMENT ON EXTENSION pgcrypto IS 'hashes and salts';
