CREATE TABLE hero (id int PRIMARY KEY, email text, CONSTRAINT hero_email_key UNIQUE (email));
