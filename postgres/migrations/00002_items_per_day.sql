-- +goose Up
-- The publishing rate last seen in a source's feed, for adaptive polling;
-- negative when unknown.
ALTER TABLE sources ADD COLUMN items_per_day double precision NOT NULL DEFAULT -1;

-- +goose Down
ALTER TABLE sources DROP COLUMN items_per_day;
