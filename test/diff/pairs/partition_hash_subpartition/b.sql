-- b: a second partition that is itself hash-partitioned
CREATE TABLE account (id int NOT NULL, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE account_eu PARTITION OF account FOR VALUES IN ('eu');
CREATE TABLE account_us PARTITION OF account FOR VALUES IN ('us') PARTITION BY HASH (id);
CREATE TABLE account_us_0 PARTITION OF account_us FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE account_us_1 PARTITION OF account_us FOR VALUES WITH (MODULUS 2, REMAINDER 1);
