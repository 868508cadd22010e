-- +goose Up
-- How sure the section is: 1 when the publisher said it, the classifier's
-- probability otherwise, 0 for the default section.
ALTER TABLE articles ADD COLUMN section_confidence double precision NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE articles DROP COLUMN section_confidence;
