CREATE TABLE audited (changed_at timestamptz DEFAULT now(), changed_by text);
CREATE TABLE hero (id int, name text, age int) INHERITS (audited);
INSERT INTO hero (id, name, age, changed_by) VALUES (1, 'Deadpond', 30, 'admin');
