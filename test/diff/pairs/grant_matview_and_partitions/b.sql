-- b: grants on the partitioned table (not on its partition, which loses its own), the
-- materialized view, and the procedure (EXECUTE taken from PUBLIC, given to pg_monitor)
CREATE TABLE measurement (at date NOT NULL, v int) PARTITION BY RANGE (at);
CREATE TABLE measurement_2026 PARTITION OF measurement FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE MATERIALIZED VIEW daily AS SELECT at, sum(v) AS total FROM measurement GROUP BY at;
CREATE PROCEDURE refresh_daily() LANGUAGE sql AS $$ REFRESH MATERIALIZED VIEW daily $$;
GRANT SELECT, INSERT ON measurement TO pg_write_all_data;
GRANT SELECT ON daily TO pg_read_all_data WITH GRANT OPTION;
REVOKE EXECUTE ON PROCEDURE refresh_daily() FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE refresh_daily() TO pg_monitor;
