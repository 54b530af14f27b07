CREATE TABLE vehicle (id int NOT NULL, wheels int CHECK (wheels >= 0));
