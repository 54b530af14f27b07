-- b: the unique constraint treats NULLs as equal
CREATE TABLE hero (id int PRIMARY KEY, email text, CONSTRAINT hero_email_key UNIQUE NULLS NOT DISTINCT (email));
