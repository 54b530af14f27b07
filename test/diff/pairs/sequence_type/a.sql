CREATE SEQUENCE ticket_no AS integer;
