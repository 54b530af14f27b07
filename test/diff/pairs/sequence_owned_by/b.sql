-- b: one sequence becomes owned by its column, the other is released
CREATE SEQUENCE ticket_no;
CREATE SEQUENCE loose_seq;
CREATE TABLE ticket (id int PRIMARY KEY DEFAULT nextval('ticket_no'), n int);
ALTER SEQUENCE ticket_no OWNED BY ticket.id;
