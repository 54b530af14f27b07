-- b: one policy gets another USING and a WITH CHECK (ALTER POLICY), the other another command
--    (a command cannot be altered: drop and create)
CREATE TABLE secret (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user, public boolean);
ALTER TABLE secret ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON secret USING (owner = current_user OR public) WITH CHECK (owner = current_user);
CREATE POLICY readable ON secret FOR UPDATE USING (public);
