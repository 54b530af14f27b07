-- b: expression indexes
CREATE TABLE hero (id int PRIMARY KEY, email text, name text);
CREATE UNIQUE INDEX hero_email_lower ON hero (lower(email));
CREATE INDEX hero_name_len ON hero ((length(name)), (name || email));
