CREATE TABLE event (kind text NOT NULL, payload jsonb) PARTITION BY LIST (kind);
CREATE TABLE event_click PARTITION OF event FOR VALUES IN ('click');
CREATE TABLE event_view PARTITION OF event FOR VALUES IN ('view', 'scroll');
INSERT INTO event VALUES ('click', '{}'), ('view', '{}');
