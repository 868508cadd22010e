-- The search index: the index terms (query.IndexFields) of each article's
-- title and text, and their tsvector (title weight A, text D; lexemes are
-- already folded and stemmed, so no text search configuration applies),
-- written in the article's transaction.
-- +goose Up
CREATE TABLE search_docs (
    article_id BIGINT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    title      TEXT     NOT NULL,
    body       TEXT     NOT NULL,
    tsv        TSVECTOR NOT NULL
);
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);

-- Articles stored before the index existed, indexed by the store when it
-- opens (resumably: next_id is the first article not yet indexed).
CREATE TABLE search_backfill (next_id BIGINT NOT NULL);
INSERT INTO search_backfill (next_id) SELECT 0 WHERE EXISTS (SELECT 1 FROM articles);

-- +goose Down
DROP TABLE search_backfill;
DROP TABLE search_docs;
