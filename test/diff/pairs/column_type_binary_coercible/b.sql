-- b: retypes that keep every stored value (PostgreSQL rewrites nothing): varchar(n) to text,
-- to a longer varchar and to unbounded varchar, numeric to more digits with the same scale,
-- bit varying to a longer one.
CREATE TABLE article (
    id int PRIMARY KEY,
    title text NOT NULL,
    slug varchar(80),
    summary varchar,
    price numeric(12, 2),
    flags bit varying(16)
);
CREATE INDEX article_slug ON article (slug);
