CREATE TABLE hero (id int PRIMARY KEY, team_id int);
INSERT INTO hero VALUES (1, 1), (2, 1), (3, 2);
