-- b: a list partition is dropped
CREATE TABLE event (kind text NOT NULL, payload jsonb) PARTITION BY LIST (kind);
CREATE TABLE event_click PARTITION OF event FOR VALUES IN ('click');
