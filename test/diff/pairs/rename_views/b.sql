-- b: view adults renamed to grown_ups (a view over it follows), materialized view age_counts to
-- ages and its index to ages_n
CREATE TABLE hero (id int PRIMARY KEY, age int);
CREATE VIEW grown_ups AS SELECT id FROM hero WHERE age >= 18;
CREATE MATERIALIZED VIEW ages AS SELECT age, count(*) AS n FROM hero GROUP BY age;
CREATE INDEX ages_n ON ages (n);
CREATE VIEW adult_count AS SELECT count(*) AS n FROM grown_ups;
