-- b: the referenced primary key gets a new definition (the foreign key must be dropped and re-added around it)
CREATE TABLE team (id int NOT NULL, code text NOT NULL, CONSTRAINT team_pkey PRIMARY KEY (id) INCLUDE (code));
CREATE TABLE hero (id int PRIMARY KEY, team_id int REFERENCES team (id));
