CREATE TABLE sensor (id int PRIMARY KEY);
