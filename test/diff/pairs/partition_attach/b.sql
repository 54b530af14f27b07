-- b: an existing plain table becomes a partition (ATTACH PARTITION keeps its rows)
CREATE TABLE measurement (at date NOT NULL, value numeric) PARTITION BY RANGE (at);
CREATE TABLE measurement_2025 PARTITION OF measurement FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurement_2026 PARTITION OF measurement FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
