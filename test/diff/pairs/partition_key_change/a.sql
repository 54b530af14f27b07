CREATE TABLE reading (id bigint GENERATED ALWAYS AS IDENTITY, city text NOT NULL,
                      taken_on date NOT NULL, value int,
                      PRIMARY KEY (id, taken_on)) PARTITION BY RANGE (taken_on);
CREATE TABLE reading_2024 PARTITION OF reading FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE reading_2025 PARTITION OF reading FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX reading_city ON reading (city);
CREATE TABLE station (id int PRIMARY KEY, city text);
CREATE VIEW oslo_readings AS SELECT id, value FROM reading WHERE city = 'oslo';
INSERT INTO reading (city, taken_on, value) VALUES ('oslo', '2024-03-01', 3), ('bergen', '2025-05-01', 7),
    ('lima', '2025-06-01', 21);
