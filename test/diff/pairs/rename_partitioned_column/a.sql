CREATE TABLE measurement (at date NOT NULL, reading int, CONSTRAINT measurement_reading_check CHECK (reading >= 0))
    PARTITION BY RANGE (at);
CREATE TABLE measurement_2026 PARTITION OF measurement FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX measurement_reading ON measurement (reading);
INSERT INTO measurement VALUES ('2026-03-01', 7);
