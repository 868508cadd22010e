-- +goose Up
-- A version superseded by a newer one of its group: collapsed listings
-- show each group's newest version, where it belongs in time.
ALTER TABLE articles ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE articles DROP COLUMN superseded;
