-- b: a child table created with INHERITS (it gets the parent's columns and check)
CREATE TABLE vehicle (id int NOT NULL, wheels int CHECK (wheels >= 0));
CREATE TABLE truck (payload numeric) INHERITS (vehicle);
