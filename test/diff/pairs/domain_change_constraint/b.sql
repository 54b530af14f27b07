-- b: the check changes, and a second one is added
CREATE DOMAIN posint AS int CONSTRAINT posint_check CHECK (VALUE >= 0)
                            CONSTRAINT posint_small CHECK (VALUE < 1000);
CREATE TABLE hero (id int PRIMARY KEY, level posint);
