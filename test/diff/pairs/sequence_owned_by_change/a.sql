CREATE TABLE ticket (id int PRIMARY KEY, n int, m int, gone int);
CREATE TABLE other (k int);
CREATE SEQUENCE moves_column OWNED BY ticket.n;
CREATE SEQUENCE moves_table OWNED BY ticket.m;
CREATE SEQUENCE freed OWNED BY other.k;
CREATE SEQUENCE survivor OWNED BY ticket.gone;
CREATE SEQUENCE adopted;
INSERT INTO ticket VALUES (1, 1, 1, 1);
