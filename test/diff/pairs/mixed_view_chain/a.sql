-- a: a chain of views v1 <- v2 <- v3 <- v4 over one table, and a materialized view on v2
CREATE TABLE reading (id int PRIMARY KEY, sensor text NOT NULL, value int NOT NULL, at timestamptz);
CREATE VIEW v1 AS SELECT id, sensor, value FROM reading;
CREATE VIEW v2 AS SELECT sensor, sum(value) AS total FROM v1 GROUP BY sensor;
CREATE VIEW v3 AS SELECT sensor, total FROM v2 WHERE total > 0;
CREATE VIEW v4 AS SELECT count(*) AS sensors FROM v3;
CREATE MATERIALIZED VIEW m2 AS SELECT sensor, total FROM v2;
CREATE INDEX m2_sensor ON m2 (sensor);
