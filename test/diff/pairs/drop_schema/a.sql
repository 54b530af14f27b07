-- a: an empty schema beside public
CREATE SCHEMA legacy;
CREATE TABLE note (id int PRIMARY KEY, body text);
