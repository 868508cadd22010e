-- +goose Up
-- Deleted stories are logged (dedup_cluster_drops) for the caches of other
-- processes, which read them at their next batch; a cache prunes the log
-- now and then. drops_pruned is the latest generation whose deletions may
-- be gone: a cache that last looked before it loads its copy again.
ALTER TABLE dedup_doc_count ADD COLUMN drops_pruned INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE dedup_doc_count DROP COLUMN drops_pruned;
