-- b: the same table written another way: type aliases, inline constraints, other casing,
--    quoting, parentheses and casts (the diff must be empty)
create table "hero" (
    "id" int4 primary key,
    Name varchar(50) not null,
    score decimal(10, 2) default (0) check (score >= 0),
    ratio float8,
    created timestamptz default NOW(),
    flags bool[] default '{}'
);
create index on Hero (NAME);
