-- b: the identity column n goes, and with it its sequence hero_n_seq; a table takes that name
CREATE TABLE hero (id int PRIMARY KEY, name text);
CREATE TABLE hero_n_seq (id int PRIMARY KEY);
