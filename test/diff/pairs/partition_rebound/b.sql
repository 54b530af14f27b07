-- b: a partition covers a wider range (detached and attached again with the new bound, rows kept)
CREATE TABLE measurement (at date NOT NULL, value numeric) PARTITION BY RANGE (at);
CREATE TABLE measurement_2026 PARTITION OF measurement FOR VALUES FROM ('2026-01-01') TO ('2028-01-01');
