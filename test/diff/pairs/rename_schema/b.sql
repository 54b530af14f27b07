-- b: schema billing renamed to accounts (renames: schemas accounts billing); its table and view follow
CREATE SCHEMA accounts;
CREATE TABLE accounts.invoice (id int PRIMARY KEY, total numeric NOT NULL);
CREATE VIEW accounts.big AS SELECT id FROM accounts.invoice WHERE total > 100;
