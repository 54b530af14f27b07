-- b: sequences with every option, one used by a default
CREATE SEQUENCE ticket_no AS integer START 100 INCREMENT 5 MINVALUE 100 MAXVALUE 100000 CACHE 10 CYCLE;
CREATE SEQUENCE plain_seq;
CREATE TABLE ticket (id int PRIMARY KEY DEFAULT nextval('ticket_no'));
