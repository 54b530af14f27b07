-- b: a column added on the parent (it reaches the partitions), another index on the parent,
--    the 2024 partition dropped, 2026 and a default partition added, a check on the parent
CREATE TABLE device (id int PRIMARY KEY);
CREATE TABLE metric (
    device_id int NOT NULL REFERENCES device (id),
    at date NOT NULL,
    value numeric,
    unit text NOT NULL DEFAULT 'C',
    PRIMARY KEY (device_id, at),
    CONSTRAINT metric_value_check CHECK (value > -1000)
) PARTITION BY RANGE (at);
CREATE INDEX metric_at ON metric (at);
CREATE INDEX metric_unit ON metric (unit, at);
CREATE TABLE metric_2025 PARTITION OF metric FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE metric_2026 PARTITION OF metric FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE metric_other PARTITION OF metric DEFAULT;
