-- +goose Up
-- The dedup stage's decisions: the first article of the version group an
-- article belongs to (NULL if it is not a version of an earlier one) and
-- its story cluster (the ID of the article that started it; NULL until
-- decided).
ALTER TABLE articles ADD COLUMN duplicate_of bigint;
ALTER TABLE articles ADD COLUMN cluster_id bigint;
CREATE INDEX articles_duplicate_of ON articles (duplicate_of) WHERE duplicate_of IS NOT NULL;
CREATE INDEX articles_cluster ON articles (cluster_id) WHERE cluster_id IS NOT NULL;

-- +goose Down
DROP INDEX articles_cluster;
DROP INDEX articles_duplicate_of;
ALTER TABLE articles DROP COLUMN cluster_id;
ALTER TABLE articles DROP COLUMN duplicate_of;
