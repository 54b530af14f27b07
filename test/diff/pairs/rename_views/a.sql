CREATE TABLE hero (id int PRIMARY KEY, age int);
CREATE VIEW adults AS SELECT id FROM hero WHERE age >= 18;
CREATE MATERIALIZED VIEW age_counts AS SELECT age, count(*) AS n FROM hero GROUP BY age;
CREATE INDEX age_counts_n ON age_counts (n);
CREATE VIEW adult_count AS SELECT count(*) AS n FROM adults;
