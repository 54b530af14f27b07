-- b: the (partial) exclusion constraint is gone
CREATE TABLE booking (id int PRIMARY KEY, room int NOT NULL, area box NOT NULL);
