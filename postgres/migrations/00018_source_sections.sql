-- +goose Up
-- The operator's section map of a source (see taglines.Source.Sections):
-- its own labels renamed, or one section for all its articles.
ALTER TABLE sources ADD COLUMN sections TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE sources DROP COLUMN sections;
