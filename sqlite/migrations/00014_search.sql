-- The search index: the index terms (query.IndexFields) of each article's
-- title and text, rowid = articles.id, written in the article's
-- transaction. Terms are letters and digits only, already folded and
-- stemmed, so unicode61 keeps them as they are. No column sizes: ranking
-- (query.Rank) counts the stored terms itself, FTS5's bm25() is unused.
-- +goose Up
CREATE VIRTUAL TABLE search USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 0', columnsize = 0);

-- Articles stored before the index existed, indexed by the store when it
-- opens (resumably: next_id is the first article not yet indexed).
CREATE TABLE search_backfill (next_id INTEGER NOT NULL);
INSERT INTO search_backfill (next_id) SELECT 0 WHERE EXISTS (SELECT 1 FROM articles);

-- +goose StatementBegin
CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
    DELETE FROM search WHERE rowid = old.id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER articles_search_delete;
DROP TABLE search_backfill;
DROP TABLE search;
