-- b: the sequence becomes bigint (its max value follows the type)
CREATE SEQUENCE ticket_no AS bigint;
