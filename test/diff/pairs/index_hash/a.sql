CREATE TABLE session (token text PRIMARY KEY, user_id int);
CREATE INDEX session_user_id ON session (user_id);
