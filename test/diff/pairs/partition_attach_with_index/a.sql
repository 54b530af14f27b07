CREATE TABLE measurement (at date NOT NULL, value numeric) PARTITION BY RANGE (at);
CREATE INDEX measurement_at_idx ON measurement (at);
CREATE TABLE measurement_2025 PARTITION OF measurement FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurement_2026 (at date NOT NULL, value numeric);
CREATE INDEX m2026_at ON measurement_2026 (at);
INSERT INTO measurement_2026 VALUES ('2026-03-01', 3);
