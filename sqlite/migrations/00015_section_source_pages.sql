-- The section and source pages list newest first within one section or
-- source: each a range scan of its own index.
-- +goose Up
CREATE INDEX articles_section_newest ON articles (section, published_at DESC, id DESC);
CREATE INDEX articles_source_newest ON articles (source_id, published_at DESC, id DESC);

-- +goose Down
DROP INDEX articles_source_newest;
DROP INDEX articles_section_newest;
