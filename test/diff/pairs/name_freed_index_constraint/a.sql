CREATE TABLE hero (id int PRIMARY KEY, name text, code text);
CREATE UNIQUE INDEX hero_code ON hero (code);
CREATE TABLE team (id int PRIMARY KEY, name text, CONSTRAINT team_name UNIQUE (name));
INSERT INTO hero VALUES (1, 'Deadpond', 'dp');
