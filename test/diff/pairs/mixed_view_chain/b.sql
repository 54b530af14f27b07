-- b: the base column becomes numeric (every view above it is rebuilt), v3 gets another body,
--    v4 is dropped, v5 is added on top of v3
CREATE TABLE reading (id int PRIMARY KEY, sensor text NOT NULL, value numeric NOT NULL, at timestamptz);
CREATE VIEW v1 AS SELECT id, sensor, value FROM reading;
CREATE VIEW v2 AS SELECT sensor, sum(value) AS total FROM v1 GROUP BY sensor;
CREATE VIEW v3 AS SELECT sensor, total FROM v2 WHERE total > 10;
CREATE VIEW v5 AS SELECT max(total) AS top FROM v3;
CREATE MATERIALIZED VIEW m2 AS SELECT sensor, total FROM v2;
CREATE INDEX m2_sensor ON m2 (sensor);
