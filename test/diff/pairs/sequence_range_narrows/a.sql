-- Sequences whose current values fall outside the ranges b gives them, and one whose value
-- stays inside.
CREATE SEQUENCE ticket_no;
SELECT nextval('ticket_no') FROM generate_series(1, 5);
CREATE SEQUENCE invoice_no;
CREATE SEQUENCE countdown INCREMENT BY -1 MINVALUE -1000 MAXVALUE -1;
SELECT nextval('countdown') FROM generate_series(1, 3);
CREATE SEQUENCE order_no MINVALUE 1 START 1;
SELECT setval('order_no', 500);
CREATE SEQUENCE small_no AS integer MINVALUE 1 MAXVALUE 50;
CREATE TABLE ticket (
    id bigint PRIMARY KEY DEFAULT nextval('ticket_no'),
    title text NOT NULL
);
INSERT INTO ticket (title) VALUES ('first'), ('second');
