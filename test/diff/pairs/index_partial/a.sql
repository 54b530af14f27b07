CREATE TABLE hero (id int PRIMARY KEY, email text, deleted boolean NOT NULL DEFAULT false);
