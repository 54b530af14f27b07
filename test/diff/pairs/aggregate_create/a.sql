CREATE TABLE score (player text, points int);
INSERT INTO score VALUES ('ann', 3), ('bob', 5);
