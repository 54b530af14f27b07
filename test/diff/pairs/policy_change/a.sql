CREATE TABLE secret (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user, public boolean);
ALTER TABLE secret ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON secret USING (owner = current_user);
CREATE POLICY readable ON secret FOR SELECT USING (public);
