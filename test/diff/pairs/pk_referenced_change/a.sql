CREATE TABLE team (id int PRIMARY KEY, code text NOT NULL);
CREATE TABLE hero (id int PRIMARY KEY, team_id int REFERENCES team (id));
