CREATE TABLE hero (id int PRIMARY KEY, age int);
INSERT INTO hero VALUES (1, 30);
ALTER TABLE hero ADD CONSTRAINT hero_age_check CHECK (age >= 0) NOT VALID;
