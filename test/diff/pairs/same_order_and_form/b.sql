-- b: the same objects in another order, constraints added afterwards, options in another order
CREATE SEQUENCE ticket_no CACHE 5 START WITH 10 INCREMENT BY 2;
CREATE TABLE team (id int NOT NULL, name text);
CREATE TYPE mood AS ENUM ('sad', 'happy');
CREATE TABLE hero (id int NOT NULL, team_id int, feeling mood, ticket int);
COMMENT ON TABLE hero IS 'heroes';
CREATE INDEX hero_team ON hero (team_id);
ALTER TABLE hero ALTER COLUMN ticket SET DEFAULT nextval('ticket_no'::regclass);
ALTER TABLE team ADD CONSTRAINT team_pkey PRIMARY KEY (id);
ALTER TABLE hero ADD CONSTRAINT hero_team_id_fkey FOREIGN KEY (team_id) REFERENCES team ON DELETE CASCADE;
ALTER TABLE team ADD CONSTRAINT team_name_key UNIQUE (name);
ALTER TABLE hero ADD PRIMARY KEY (id);
