-- b: an existing table with matching columns starts inheriting (ALTER TABLE ... INHERIT);
--    pg_dump still tells its columns apart from those of a table created with INHERITS
CREATE TABLE vehicle (id int NOT NULL, wheels int);
CREATE TABLE truck (id int NOT NULL, wheels int, payload numeric);
ALTER TABLE truck INHERIT vehicle;
