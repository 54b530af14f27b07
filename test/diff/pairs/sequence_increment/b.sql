-- b: another increment
CREATE SEQUENCE ticket_no INCREMENT BY 10;
