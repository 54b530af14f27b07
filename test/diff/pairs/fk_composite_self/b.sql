-- b: a composite self-referencing foreign key, MATCH FULL, ON DELETE CASCADE
CREATE TABLE node (tree int NOT NULL, id int NOT NULL, parent int, PRIMARY KEY (tree, id),
                   CONSTRAINT node_parent FOREIGN KEY (tree, parent) REFERENCES node (tree, id)
                       MATCH FULL ON DELETE CASCADE);
