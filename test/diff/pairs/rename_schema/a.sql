CREATE SCHEMA billing;
CREATE TABLE billing.invoice (id int PRIMARY KEY, total numeric NOT NULL);
CREATE VIEW billing.big AS SELECT id FROM billing.invoice WHERE total > 100;
INSERT INTO billing.invoice VALUES (1, 50), (2, 500);
