CREATE TYPE status AS ENUM ('active', 'retired');
CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
CREATE TYPE address AS (street text, city text);
CREATE TABLE hero (id int PRIMARY KEY, status status, contact email, home address);
INSERT INTO hero VALUES (1, 'active', 'dp@example.com', ROW('Main St', 'Springfield'));
