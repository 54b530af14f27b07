CREATE TABLE vehicle (id int NOT NULL, wheels int);
CREATE TABLE truck (id int NOT NULL, wheels int, payload numeric);
