CREATE TABLE team (id int PRIMARY KEY);
CREATE TABLE hero (id int PRIMARY KEY, team_id int);
INSERT INTO team VALUES (1);
INSERT INTO hero VALUES (1, 1), (2, NULL);
