CREATE SCHEMA store;
CREATE TABLE store.items (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO store.items VALUES (1, 'lamp'), (2, 'chair');
CREATE VIEW store.item_names AS SELECT name FROM store.items;
CREATE TABLE store.stock (id int PRIMARY KEY, qty int);
