CREATE TYPE address AS (street text, city text);
CREATE TABLE hero (id int PRIMARY KEY, home address);
INSERT INTO hero VALUES (1, ROW('Main St', 'Springfield'));
