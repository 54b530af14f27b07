-- b: both sequences gone, the default that used one too
CREATE TABLE ticket (id int PRIMARY KEY);
