CREATE TABLE hero (id int PRIMARY KEY, age int CHECK (age >= 0), name text,
                   CONSTRAINT hero_name_short CHECK (length(name) < 100));
