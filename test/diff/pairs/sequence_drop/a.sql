CREATE SEQUENCE ticket_no;
CREATE SEQUENCE other_seq;
CREATE TABLE ticket (id int PRIMARY KEY DEFAULT nextval('ticket_no'));
