-- b: the index is redefined DESC NULLS LAST, and one more with mixed order
CREATE TABLE score (id int PRIMARY KEY, points int, at timestamptz);
CREATE INDEX score_points ON score (points DESC NULLS LAST);
CREATE INDEX score_at_points ON score (at DESC, points NULLS FIRST);
