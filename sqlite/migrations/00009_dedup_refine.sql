-- +goose Up
-- Relabel finds a story's entries and Window a span of publication times
-- without reading every entry. The rowid (seq) ends each index entry, so
-- the second also serves Window's order, published then seq, newest first.
CREATE INDEX dedup_entries_cluster ON dedup_entries (cluster_id);
CREATE INDEX dedup_entries_published ON dedup_entries (published);

-- +goose Down
DROP INDEX dedup_entries_published;
DROP INDEX dedup_entries_cluster;
