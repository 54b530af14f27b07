-- b: both aggregates and the functions of one of them are gone (aggregates first)
CREATE TABLE score (player text, points int);
