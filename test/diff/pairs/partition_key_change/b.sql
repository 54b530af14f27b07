-- b: reading is partitioned by city instead of date (its key includes city now), with other
-- partitions; a partition keeps its name (reading_2024 becomes a list partition). PostgreSQL
-- cannot alter a partition key: the target allows the rebuild (file allow), the rows are kept.
CREATE TABLE reading (id bigint GENERATED ALWAYS AS IDENTITY, city text NOT NULL,
                      taken_on date NOT NULL, value int,
                      PRIMARY KEY (id, city)) PARTITION BY LIST (city);
CREATE TABLE reading_2024 PARTITION OF reading FOR VALUES IN ('oslo', 'bergen');
CREATE TABLE reading_other PARTITION OF reading DEFAULT;
CREATE INDEX reading_city ON reading (city);
CREATE TABLE station (id int PRIMARY KEY, city text);
CREATE VIEW oslo_readings AS SELECT id, value FROM reading WHERE city = 'oslo';
