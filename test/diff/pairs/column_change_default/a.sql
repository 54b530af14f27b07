CREATE TABLE hero (id int PRIMARY KEY, level int DEFAULT 1, created timestamptz DEFAULT now());
