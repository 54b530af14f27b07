-- b: both collations gone, the column that used one back on the default collation
CREATE TABLE hero (id int PRIMARY KEY, name text);
INSERT INTO hero VALUES (1, 'Deadpond');
