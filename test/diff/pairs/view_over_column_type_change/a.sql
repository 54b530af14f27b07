CREATE TABLE hero (id int PRIMARY KEY, name text, score int);
CREATE VIEW scores AS SELECT id, score FROM hero;
CREATE VIEW top_scores AS SELECT id, score FROM scores WHERE score > 100;
INSERT INTO hero VALUES (1, 'Deadpond', 150);
