-- b: the child no longer inherits (NO INHERIT leaves it with all its columns)
CREATE TABLE vehicle (id int NOT NULL, wheels int);
CREATE TABLE truck (id int NOT NULL, wheels int, payload numeric);
