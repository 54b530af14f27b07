CREATE SEQUENCE ticket_no;
SELECT nextval('ticket_no');
