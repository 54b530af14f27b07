CREATE TABLE node (tree int NOT NULL, id int NOT NULL, parent int, PRIMARY KEY (tree, id));
