-- b: the identity is dropped (the column stays NOT NULL through its key)
CREATE TABLE hero (id int NOT NULL PRIMARY KEY, name text);
