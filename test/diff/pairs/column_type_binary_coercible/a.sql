CREATE TABLE article (
    id int PRIMARY KEY,
    title varchar(20) NOT NULL,
    slug varchar(40),
    summary varchar(100),
    price numeric(8, 2),
    flags bit varying(4)
);
CREATE INDEX article_slug ON article (slug);
INSERT INTO article VALUES (1, 'first', 'first', 'the first one', 12.5, B'101');
