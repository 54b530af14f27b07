-- b: hero renamed to person; its identity sequence follows (person_id_seq), and a new table
-- hero takes the old names (hero_pkey, hero_id_seq)
CREATE TABLE person (id int GENERATED ALWAYS AS IDENTITY CONSTRAINT person_pkey PRIMARY KEY, name text);
CREATE TABLE hero (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, power text);
