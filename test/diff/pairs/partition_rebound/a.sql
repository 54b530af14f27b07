CREATE TABLE measurement (at date NOT NULL, value numeric) PARTITION BY RANGE (at);
CREATE TABLE measurement_2026 PARTITION OF measurement FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
INSERT INTO measurement VALUES ('2026-03-01', 3);
