-- b: 'archived' removed (rebuild of the type under the default, the check, the partial index and
--    both views), 'scheduled' added before 'live'
CREATE TYPE status AS ENUM ('draft', 'review', 'scheduled', 'live');
CREATE TABLE article (id int PRIMARY KEY, title text NOT NULL, status status NOT NULL DEFAULT 'draft');
CREATE TABLE revision (id int PRIMARY KEY, article_id int NOT NULL REFERENCES article (id),
                       status status NOT NULL, CONSTRAINT revision_status_check CHECK (status <> 'scheduled'));
CREATE INDEX article_live ON article (id) WHERE status = 'live';
CREATE VIEW live_articles AS SELECT id, title FROM article WHERE status = 'live';
CREATE VIEW article_states AS
    SELECT a.id, a.status AS article_status, r.status AS revision_status
      FROM article a JOIN revision r ON r.article_id = a.id;
