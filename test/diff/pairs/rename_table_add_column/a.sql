CREATE TABLE team (id int PRIMARY KEY, name text);
CREATE VIEW team_names AS SELECT name FROM team;
INSERT INTO team VALUES (1, 'Preventers');
