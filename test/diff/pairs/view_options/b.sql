-- b: security_invoker set on one view, security_barrier reset on the other; a check option
CREATE TABLE hero (id int PRIMARY KEY, name text);
CREATE VIEW names WITH (security_invoker = true) AS SELECT id, name FROM hero WITH CASCADED CHECK OPTION;
CREATE VIEW safe_names AS SELECT id, name FROM hero;
