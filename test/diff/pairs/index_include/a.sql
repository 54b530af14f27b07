CREATE TABLE hero (id int PRIMARY KEY, team_id int, name text, age int);
