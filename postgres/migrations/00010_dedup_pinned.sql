-- +goose Up
-- An article an operator split into a story of its own: Refine leaves it
-- there instead of moving it back.
ALTER TABLE dedup_entries ADD COLUMN pinned boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE dedup_entries DROP COLUMN pinned;
