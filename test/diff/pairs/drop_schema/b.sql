-- b: the schema is gone
CREATE TABLE note (id int PRIMARY KEY, body text);
