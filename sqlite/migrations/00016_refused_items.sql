-- +goose Up
-- Feed items the last successful fetch refused (no usable link, a
-- javascript: link, no title and no text), and why, as a warning in the
-- source's health: nothing is dropped silently.
ALTER TABLE sources ADD COLUMN refused_items INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sources ADD COLUMN warning TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sources DROP COLUMN warning;
ALTER TABLE sources DROP COLUMN refused_items;
