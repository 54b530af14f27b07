CREATE TABLE measurement (at date NOT NULL, v int) PARTITION BY RANGE (at);
CREATE TABLE measurement_2026 PARTITION OF measurement FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE MATERIALIZED VIEW daily AS SELECT at, sum(v) AS total FROM measurement GROUP BY at;
CREATE PROCEDURE refresh_daily() LANGUAGE sql AS $$ REFRESH MATERIALIZED VIEW daily $$;
GRANT SELECT ON measurement_2026 TO pg_monitor;
