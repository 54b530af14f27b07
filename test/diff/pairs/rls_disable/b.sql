-- b: row level security off (the policy stays, inactive)
CREATE TABLE secret (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user);
CREATE POLICY mine ON secret USING (owner = current_user);
