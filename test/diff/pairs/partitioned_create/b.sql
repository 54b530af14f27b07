-- b: a range-partitioned table with a key, an index, a foreign key and three partitions (one default)
CREATE TABLE sensor (id int PRIMARY KEY);
CREATE TABLE measurement (
    sensor_id int NOT NULL REFERENCES sensor (id),
    at date NOT NULL,
    value numeric,
    PRIMARY KEY (sensor_id, at)
) PARTITION BY RANGE (at);
CREATE INDEX measurement_at ON measurement (at);
CREATE TABLE measurement_2025 PARTITION OF measurement FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurement_2026 PARTITION OF measurement FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE measurement_other PARTITION OF measurement DEFAULT;
