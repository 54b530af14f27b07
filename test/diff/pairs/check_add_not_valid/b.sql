-- b: a check that stays NOT VALID
CREATE TABLE hero (id int PRIMARY KEY, age int);
ALTER TABLE hero ADD CONSTRAINT hero_age_check CHECK (age >= 0) NOT VALID;
