-- b: the procedure is gone
CREATE TABLE audit (at timestamptz, what text);
