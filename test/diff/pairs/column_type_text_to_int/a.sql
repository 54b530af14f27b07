CREATE TABLE hero (id int PRIMARY KEY, age text);
INSERT INTO hero VALUES (1, '42'), (2, NULL), (3, '7');
