CREATE TABLE hero (id int PRIMARY KEY, age int CONSTRAINT hero_age_check CHECK (age >= 0));
INSERT INTO hero VALUES (1, 30);
