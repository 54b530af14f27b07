-- b: other defaults (now() is not CURRENT_TIMESTAMP)
CREATE TABLE hero (id int PRIMARY KEY, level int DEFAULT 10, created timestamptz DEFAULT CURRENT_TIMESTAMP);
