CREATE SEQUENCE ticket_seq;
GRANT USAGE ON SEQUENCE ticket_seq TO pg_monitor;
