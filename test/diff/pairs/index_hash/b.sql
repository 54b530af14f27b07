-- b: a hash index, and the btree index of the same name becomes hash
CREATE TABLE session (token text PRIMARY KEY, user_id int);
CREATE INDEX session_user_id ON session USING hash (user_id);
CREATE INDEX session_token_hash ON session USING hash (token);
