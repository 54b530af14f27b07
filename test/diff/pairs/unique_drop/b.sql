-- b: both unique constraints are gone
CREATE TABLE hero (id int PRIMARY KEY, email text, team_id int, name text);
