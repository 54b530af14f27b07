-- b: a new schema holding a type, a table that uses it and a view (created in dependency order)
CREATE SCHEMA billing;
CREATE TYPE billing.status AS ENUM ('open', 'paid');
CREATE TABLE billing.invoice (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    amount numeric(12,2) NOT NULL,
    status billing.status NOT NULL DEFAULT 'open'
);
CREATE VIEW billing.open_invoices AS SELECT id, amount FROM billing.invoice WHERE status = 'open';
