-- b: MINVALUE rises while MAXVALUE falls below the current value (shifted); the whole range
-- falls below it (lowered); it shrinks around a start above the current value (squeezed); an
-- ascending sequence becomes descending (reversed); a range widens on both sides with another
-- type, cache and no cycle (widened); only START falls below the current value (restarted);
-- bigint becomes integer with its maximum (narrowed_type).
CREATE SEQUENCE shifted MINVALUE 100 MAXVALUE 500 START 100;
CREATE SEQUENCE lowered MINVALUE 1 MAXVALUE 50 START 1;
CREATE SEQUENCE squeezed MINVALUE 10 MAXVALUE 20 START 15;
CREATE SEQUENCE reversed INCREMENT BY -1 MINVALUE -100 MAXVALUE -1 START -1;
CREATE SEQUENCE widened AS bigint MINVALUE -5 MAXVALUE 5000000000 START 10 CACHE 20 NO CYCLE;
CREATE SEQUENCE restarted START 20;
CREATE SEQUENCE narrowed_type AS integer MINVALUE 1 START 1 CACHE 5;
