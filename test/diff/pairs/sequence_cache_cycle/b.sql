-- b: cache and cycle, and another max value
CREATE SEQUENCE ticket_no MAXVALUE 9999 CACHE 20 CYCLE;
