CREATE TABLE hero (id int PRIMARY KEY, name text);
CREATE VIEW names AS SELECT id, name FROM hero;
CREATE VIEW safe_names WITH (security_barrier) AS SELECT id, name FROM hero;
