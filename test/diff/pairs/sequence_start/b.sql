-- b: another start value
CREATE SEQUENCE ticket_no START 1000;
