-- a: a schema holding a type, a table that uses it, a view and a function
CREATE SCHEMA billing;
CREATE TYPE billing.status AS ENUM ('open', 'paid');
CREATE TABLE billing.invoice (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    amount numeric(12,2) NOT NULL,
    status billing.status NOT NULL DEFAULT 'open'
);
CREATE VIEW billing.open_invoices AS SELECT id, amount FROM billing.invoice WHERE status = 'open';
CREATE FUNCTION billing.total() RETURNS numeric LANGUAGE sql STABLE
    RETURN (SELECT coalesce(sum(amount), 0) FROM billing.invoice);
INSERT INTO billing.invoice (amount) VALUES (10), (20);
CREATE TABLE keep (id int);
