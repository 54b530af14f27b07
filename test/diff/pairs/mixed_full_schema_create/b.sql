-- b: a schema with every kind of object, depending on each other
CREATE SCHEMA shop;
COMMENT ON SCHEMA shop IS 'the shop';
CREATE DOMAIN shop.money_amount AS numeric(12,2) NOT NULL DEFAULT 0 CHECK (VALUE >= 0);
CREATE TYPE shop.order_state AS ENUM ('new', 'paid', 'shipped');
CREATE TYPE shop.address AS (street text, city text, zip text);
CREATE FUNCTION shop.valid_zip(z text) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN z ~ '^[0-9]{5}$';
CREATE SEQUENCE shop.order_no START 1000;
CREATE TABLE shop.customer (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    home shop.address,
    CONSTRAINT customer_zip CHECK (shop.valid_zip((home).zip))
);
CREATE UNIQUE INDEX customer_email ON shop.customer (lower(email));
CREATE TABLE shop."order" (
    no int PRIMARY KEY DEFAULT nextval('shop.order_no'),
    customer_id bigint NOT NULL REFERENCES shop.customer (id) ON DELETE CASCADE,
    state shop.order_state NOT NULL DEFAULT 'new',
    total shop.money_amount,
    updated timestamptz
);
ALTER SEQUENCE shop.order_no OWNED BY shop."order".no;
CREATE FUNCTION shop.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated := now();
    RETURN NEW;
END $$;
CREATE TRIGGER order_touch BEFORE UPDATE ON shop."order" FOR EACH ROW EXECUTE FUNCTION shop.touch();
CREATE VIEW shop.open_orders AS SELECT no, customer_id, total FROM shop."order" WHERE state <> 'shipped';
CREATE MATERIALIZED VIEW shop.revenue AS SELECT customer_id, sum(total) AS total FROM shop."order" GROUP BY customer_id;
CREATE UNIQUE INDEX revenue_customer ON shop.revenue (customer_id);
ALTER TABLE shop."order" ENABLE ROW LEVEL SECURITY;
CREATE POLICY order_all ON shop."order" USING (true);
COMMENT ON TABLE shop."order" IS 'orders; the name needs quoting';
