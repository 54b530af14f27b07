CREATE TYPE address AS (street text, city text);
CREATE TABLE hero (id int PRIMARY KEY, home address, homes address[]);
INSERT INTO hero VALUES (1, ROW('Main St', 'Springfield'), ARRAY[ROW('Elm St', 'Shelbyville')::address]);
