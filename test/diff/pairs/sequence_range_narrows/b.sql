-- b: MINVALUE and START rise above the current value (ticket_no, used; invoice_no, never
-- called), MAXVALUE falls below it (countdown, descending), MINVALUE rises below the current
-- value (order_no: kept), and a range entirely above the old one with another type (small_no).
CREATE SEQUENCE ticket_no MINVALUE 1000 START 1000;
CREATE SEQUENCE invoice_no MINVALUE 100 START 100;
CREATE SEQUENCE countdown INCREMENT BY -1 MINVALUE -1000 MAXVALUE -500 START -500;
CREATE SEQUENCE order_no MINVALUE 100 START 100;
CREATE SEQUENCE small_no AS bigint MINVALUE 100 MAXVALUE 10000000000 START 200;
CREATE TABLE ticket (
    id bigint PRIMARY KEY DEFAULT nextval('ticket_no'),
    title text NOT NULL
);
