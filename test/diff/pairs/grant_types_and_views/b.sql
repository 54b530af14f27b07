-- b: USAGE on the enum and the domain taken from PUBLIC; the view, rebuilt with a new body,
-- keeps its grant and gains one
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
REVOKE USAGE ON TYPE mood FROM PUBLIC;
REVOKE USAGE ON DOMAIN posint FROM PUBLIC;
CREATE TABLE hero (id int PRIMARY KEY, age int);
CREATE VIEW adults AS SELECT id FROM hero WHERE age >= 21;
GRANT SELECT ON adults TO pg_monitor, pg_read_all_data;
