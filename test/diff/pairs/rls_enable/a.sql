CREATE TABLE secret (id int PRIMARY KEY, owner name NOT NULL DEFAULT current_user);
