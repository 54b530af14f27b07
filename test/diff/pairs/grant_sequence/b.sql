-- b: USAGE and SELECT on the sequence to pg_read_all_data, pg_monitor's USAGE revoked
CREATE SEQUENCE ticket_seq;
GRANT USAGE, SELECT ON SEQUENCE ticket_seq TO pg_read_all_data;
