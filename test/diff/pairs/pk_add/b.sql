-- b: the table gets a primary key
CREATE TABLE hero (id int NOT NULL, name text, CONSTRAINT hero_pkey PRIMARY KEY (id));
