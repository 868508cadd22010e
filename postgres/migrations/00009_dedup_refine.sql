-- +goose Up
-- Relabel finds a story's entries and Window a span of publication times
-- without reading every entry. seq is in the second index so that it also
-- serves Window's order, published then seq, newest first, without a sort.
CREATE INDEX dedup_entries_cluster ON dedup_entries (cluster_id);
CREATE INDEX dedup_entries_published ON dedup_entries (published, seq);

-- +goose Down
DROP INDEX dedup_entries_published;
DROP INDEX dedup_entries_cluster;
