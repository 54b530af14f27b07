-- b: the parent loses a column the child then declares itself, and the child drops another
CREATE TABLE audited (changed_at timestamptz DEFAULT now());
CREATE TABLE hero (id int, name text, age int) INHERITS (audited);
ALTER TABLE hero DROP COLUMN age;
ALTER TABLE hero ADD COLUMN changed_by text;
INSERT INTO hero (id, name, changed_by) VALUES (1, 'Deadpond', 'admin');
