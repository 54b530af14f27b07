CREATE TABLE ticket (id serial PRIMARY KEY, title text);
INSERT INTO ticket (title) VALUES ('first');
