-- b: one sequence moves to another column of its table, one to another table, one is freed,
-- one is adopted; the column that owned survivor is dropped while survivor stays, owned by
-- ticket.id (its owner must change before the column goes, which would take it along)
CREATE TABLE ticket (id int PRIMARY KEY, n int, m int);
CREATE TABLE other (k int);
CREATE SEQUENCE moves_column OWNED BY ticket.m;
CREATE SEQUENCE moves_table OWNED BY other.k;
CREATE SEQUENCE freed;
CREATE SEQUENCE survivor OWNED BY ticket.id;
CREATE SEQUENCE adopted OWNED BY other.k;
