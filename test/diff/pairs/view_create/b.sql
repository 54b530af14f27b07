-- b: a view, and a view with options
CREATE TABLE hero (id int PRIMARY KEY, name text, age int);
CREATE VIEW adults AS SELECT id, name FROM hero WHERE age >= 18;
CREATE VIEW minors WITH (security_invoker = true, security_barrier) AS SELECT id, name FROM hero WHERE age < 18;
