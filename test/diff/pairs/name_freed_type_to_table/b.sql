-- b: an enum, a domain and a composite type go (their columns become text) and tables take
-- their names: a table's row type has the table's name, so each type must be gone first
CREATE TABLE hero (id int PRIMARY KEY, status text, contact text, home text);
CREATE TABLE status (code text PRIMARY KEY);
CREATE TABLE email (address text PRIMARY KEY);
CREATE VIEW address AS SELECT id, home FROM hero;
