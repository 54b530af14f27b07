CREATE SEQUENCE ticket_no;
CREATE SEQUENCE loose_seq;
CREATE TABLE ticket (id int PRIMARY KEY DEFAULT nextval('ticket_no'), n int);
ALTER SEQUENCE loose_seq OWNED BY ticket.n;
