CREATE TABLE team (id int PRIMARY KEY);
CREATE TABLE hero (id int PRIMARY KEY, team_id int);
INSERT INTO hero VALUES (1, 99);   -- an orphan: the key can only be added NOT VALID
