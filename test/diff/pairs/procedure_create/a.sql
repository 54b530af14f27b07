CREATE TABLE audit (at timestamptz, what text);
