CREATE TABLE account (id int NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE account_eu PARTITION OF account FOR VALUES IN ('eu');
