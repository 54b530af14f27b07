CREATE TABLE hero (id int PRIMARY KEY, name text, team_id int);
INSERT INTO hero VALUES (1, 'Deadpond', 1);
