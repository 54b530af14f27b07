CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE TABLE hero (id int PRIMARY KEY, age int);
CREATE VIEW adults AS SELECT id FROM hero WHERE age >= 18;
GRANT SELECT ON adults TO pg_monitor;
