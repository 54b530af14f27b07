-- b: the columns and the range types go (with the constructor functions and the multirange
-- types they made for themselves)
CREATE TABLE hero (id int PRIMARY KEY, name text);
