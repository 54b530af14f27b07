-- b: an old partition lives on as a plain table (DETACH PARTITION keeps its rows)
CREATE TABLE measurement (at date NOT NULL, value numeric) PARTITION BY RANGE (at);
CREATE TABLE measurement_2025 PARTITION OF measurement FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurement_2024 (at date NOT NULL, value numeric);
