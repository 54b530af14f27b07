-- b: the foreign key becomes DEFERRABLE INITIALLY DEFERRED
CREATE TABLE team (id int PRIMARY KEY);
CREATE TABLE hero (id int PRIMARY KEY,
                   team_id int REFERENCES team (id) DEFERRABLE INITIALLY DEFERRED);
