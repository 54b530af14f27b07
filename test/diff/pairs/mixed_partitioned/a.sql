-- a: a partitioned table with a key, an index, a foreign key and two partitions
CREATE TABLE device (id int PRIMARY KEY);
CREATE TABLE metric (
    device_id int NOT NULL REFERENCES device (id),
    at date NOT NULL,
    value numeric,
    PRIMARY KEY (device_id, at)
) PARTITION BY RANGE (at);
CREATE INDEX metric_at ON metric (at);
CREATE TABLE metric_2024 PARTITION OF metric FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE metric_2025 PARTITION OF metric FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO device VALUES (1);
INSERT INTO metric VALUES (1, '2024-05-01', 1.5), (1, '2025-05-01', 2.5);
