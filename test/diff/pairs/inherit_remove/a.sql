CREATE TABLE vehicle (id int NOT NULL, wheels int);
CREATE TABLE truck (payload numeric) INHERITS (vehicle);
