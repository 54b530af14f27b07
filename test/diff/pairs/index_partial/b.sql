-- b: a partial unique index
CREATE TABLE hero (id int PRIMARY KEY, email text, deleted boolean NOT NULL DEFAULT false);
CREATE UNIQUE INDEX hero_live_email ON hero (email) WHERE NOT deleted;
