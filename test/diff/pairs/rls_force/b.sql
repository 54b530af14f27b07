-- b: row level security forced on the owner too
CREATE TABLE secret (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user);
ALTER TABLE secret ENABLE ROW LEVEL SECURITY;
ALTER TABLE secret FORCE ROW LEVEL SECURITY;
