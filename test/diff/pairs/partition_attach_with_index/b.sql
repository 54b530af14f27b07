-- b: the table becomes a partition of a parent with an index; its own index goes, the parent's
--    index is built on it under the server's name
CREATE TABLE measurement (at date NOT NULL, value numeric) PARTITION BY RANGE (at);
CREATE INDEX measurement_at_idx ON measurement (at);
CREATE TABLE measurement_2025 PARTITION OF measurement FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurement_2026 PARTITION OF measurement FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
