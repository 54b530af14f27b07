-- b: one domain default changes, the other domain gets one
CREATE DOMAIN posint AS int DEFAULT 2;
CREATE DOMAIN label AS text DEFAULT 'none';
