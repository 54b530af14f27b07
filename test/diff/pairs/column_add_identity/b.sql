-- b: the key becomes an identity column
CREATE TABLE hero (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);
