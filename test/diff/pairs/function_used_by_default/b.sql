-- b: the function used by a column default gains an argument with a default: the default
--    reads the same, but depends on another function, so it must be reset around the change
CREATE FUNCTION next_code(prefix text DEFAULT 'H') RETURNS text LANGUAGE sql VOLATILE
    RETURN prefix || floor(random() * 1000)::int;
CREATE TABLE hero (id int PRIMARY KEY, code text DEFAULT next_code());
