-- b: column name renamed to full_name and widened to text; age renamed to years and made bigint
CREATE TABLE hero (id int PRIMARY KEY, full_name text NOT NULL, years bigint);
CREATE INDEX hero_name ON hero (full_name);
