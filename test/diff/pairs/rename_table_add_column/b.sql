-- b: table team renamed to squad, with a new column; the view over it follows the rename
CREATE TABLE squad (id int CONSTRAINT team_pkey PRIMARY KEY, name text, headquarters text);
CREATE VIEW team_names AS SELECT name FROM squad;
