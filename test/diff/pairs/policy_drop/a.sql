CREATE TABLE secret (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user);
ALTER TABLE secret ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON secret USING (owner = current_user);
CREATE POLICY everyone_reads ON secret FOR SELECT USING (true);
