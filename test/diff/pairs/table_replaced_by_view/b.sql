-- b: the table store.items is replaced by a table store.item_rows and a view store.items over
-- it (the view store.item_names now reads the view); store.stock is replaced by a sequence of
-- the same name.
CREATE SCHEMA store;
CREATE TABLE store.item_rows (id int PRIMARY KEY, name text NOT NULL);
CREATE VIEW store.items AS SELECT id, name FROM store.item_rows;
CREATE VIEW store.item_names AS SELECT name FROM store.items;
CREATE SEQUENCE store.stock;
