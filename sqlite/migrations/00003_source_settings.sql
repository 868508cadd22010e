-- +goose Up
-- Operator settings of a source: its OPML folder, its extraction rules
-- (JSON, '' for none) and whether its feed's full text beats its pages.
ALTER TABLE sources ADD COLUMN folder TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN rules TEXT NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN prefer_feed INTEGER NOT NULL DEFAULT 0;
-- Which text an article kept: 'page' or 'feed'.
ALTER TABLE articles ADD COLUMN source_used TEXT NOT NULL DEFAULT '';
-- State a stage learns per source (the boilerplate learner), by key.
CREATE TABLE source_state (
    source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    data       BLOB    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (source_id, key)
);

-- +goose Down
DROP TABLE source_state;
ALTER TABLE articles DROP COLUMN source_used;
ALTER TABLE sources DROP COLUMN prefer_feed;
ALTER TABLE sources DROP COLUMN rules;
ALTER TABLE sources DROP COLUMN folder;
