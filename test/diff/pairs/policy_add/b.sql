-- b: a permissive policy, a restrictive INSERT policy and a policy for a (built-in) role
CREATE TABLE secret (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user);
ALTER TABLE secret ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON secret USING (owner = current_user);
CREATE POLICY no_foreign_rows ON secret AS RESTRICTIVE FOR INSERT WITH CHECK (owner = current_user);
CREATE POLICY readers ON secret FOR SELECT TO pg_read_all_data USING (true);
