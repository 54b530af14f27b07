-- b: column reading of a partitioned table renamed to value (its partition follows), the
-- partitioned table renamed to sample; the check and the partitioned index follow
CREATE TABLE sample (at date NOT NULL, value int, CONSTRAINT measurement_reading_check CHECK (value >= 0))
    PARTITION BY RANGE (at);
CREATE TABLE measurement_2026 PARTITION OF sample FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
-- (the partition's index keeps the name it was given when the column was still called reading)
CREATE INDEX measurement_2026_reading_idx ON measurement_2026 (value);
CREATE INDEX measurement_reading ON sample (value);
