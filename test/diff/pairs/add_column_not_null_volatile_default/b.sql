-- b: a NOT NULL column whose default is volatile (rewrites the table)
CREATE TABLE hero (id int PRIMARY KEY, name text NOT NULL,
                   created timestamptz NOT NULL DEFAULT clock_timestamp());
