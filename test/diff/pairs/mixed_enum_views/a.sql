-- a: an enum used by columns of two tables, with views (one over a join) on those columns
CREATE TYPE status AS ENUM ('draft', 'review', 'live', 'archived');
CREATE TABLE article (id int PRIMARY KEY, title text NOT NULL, status status NOT NULL DEFAULT 'draft');
CREATE TABLE revision (id int PRIMARY KEY, article_id int NOT NULL REFERENCES article (id),
                       status status NOT NULL, CHECK (status <> 'archived'));
CREATE INDEX article_live ON article (id) WHERE status = 'live';
CREATE VIEW live_articles AS SELECT id, title FROM article WHERE status = 'live';
CREATE VIEW article_states AS
    SELECT a.id, a.status AS article_status, r.status AS revision_status
      FROM article a JOIN revision r ON r.article_id = a.id;
INSERT INTO article VALUES (1, 'Hello', 'live'), (2, 'Draft', 'draft');
INSERT INTO revision VALUES (1, 1, 'live'), (2, 2, 'review');
