-- Sequences with current values, whose ranges b moves in both directions at once.
CREATE SEQUENCE shifted MINVALUE 1 MAXVALUE 1000 START 1;
SELECT setval('shifted', 700);
CREATE SEQUENCE lowered MINVALUE 100 MAXVALUE 1000 START 100;
SELECT setval('lowered', 900);
CREATE SEQUENCE squeezed MINVALUE 1 MAXVALUE 1000 START 1;
SELECT setval('squeezed', 5);
CREATE SEQUENCE reversed;
SELECT nextval('reversed');
CREATE SEQUENCE widened AS integer MINVALUE 10 MAXVALUE 20 START 10 CYCLE;
SELECT setval('widened', 15);
CREATE SEQUENCE restarted START 1;
SELECT setval('restarted', 40);
CREATE SEQUENCE narrowed_type AS bigint MINVALUE 1 START 1 CACHE 5;
