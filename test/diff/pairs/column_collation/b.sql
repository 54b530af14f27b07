-- b: the collations change (default -> "C", "C" -> default)
CREATE TABLE hero (id int PRIMARY KEY, name text COLLATE "C" NOT NULL, code text);
