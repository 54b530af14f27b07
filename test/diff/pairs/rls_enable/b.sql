-- b: row level security enabled
CREATE TABLE secret (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user);
ALTER TABLE secret ENABLE ROW LEVEL SECURITY;
