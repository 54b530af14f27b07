-- b: the column under two stacked views changes type: both are dropped and recreated around it
CREATE TABLE hero (id int PRIMARY KEY, name text, score bigint);
CREATE VIEW scores AS SELECT id, score FROM hero;
CREATE VIEW top_scores AS SELECT id, score FROM scores WHERE score > 100;
