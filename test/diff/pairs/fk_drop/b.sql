-- b: the foreign key is gone
CREATE TABLE team (id int PRIMARY KEY);
CREATE TABLE hero (id int PRIMARY KEY, team_id int);
