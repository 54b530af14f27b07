-- b: the NOT VALID check is validated
CREATE TABLE hero (id int PRIMARY KEY, age int CONSTRAINT hero_age_check CHECK (age >= 0));
