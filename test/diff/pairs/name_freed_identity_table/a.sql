CREATE TABLE old_hero (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);
INSERT INTO old_hero (name) VALUES ('Deadpond');
