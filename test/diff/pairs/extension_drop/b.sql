-- b: the extension is gone
CREATE TABLE hero (id int PRIMARY KEY, digest bytea);
