-- +goose Up
-- Operator settings of a source: its OPML folder, its extraction rules
-- (JSON, '' for none) and whether its feed's full text beats its pages.
ALTER TABLE sources ADD COLUMN folder text NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN rules text NOT NULL DEFAULT '';
ALTER TABLE sources ADD COLUMN prefer_feed boolean NOT NULL DEFAULT false;
-- Which text an article kept: 'page' or 'feed'.
ALTER TABLE articles ADD COLUMN source_used text NOT NULL DEFAULT '';
-- State a stage learns per source (the boilerplate learner), by key.
CREATE TABLE source_state (
    source_id  bigint      NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    key        text        NOT NULL,
    data       bytea       NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (source_id, key)
);

-- +goose Down
DROP TABLE source_state;
ALTER TABLE articles DROP COLUMN source_used;
ALTER TABLE sources DROP COLUMN prefer_feed;
ALTER TABLE sources DROP COLUMN rules;
ALTER TABLE sources DROP COLUMN folder;
