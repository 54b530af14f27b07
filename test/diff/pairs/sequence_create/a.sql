CREATE TABLE ticket (id int PRIMARY KEY);
