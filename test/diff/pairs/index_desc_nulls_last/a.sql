CREATE TABLE score (id int PRIMARY KEY, points int, at timestamptz);
CREATE INDEX score_points ON score (points);
