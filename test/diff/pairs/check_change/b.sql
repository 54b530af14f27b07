-- b: the same check name with another expression
CREATE TABLE hero (id int PRIMARY KEY, age int CONSTRAINT hero_age_check CHECK (age >= 0 AND age < 200));
