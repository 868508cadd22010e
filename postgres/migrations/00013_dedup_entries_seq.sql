-- +goose Up
-- A cache on another process reads the entries stored since its last batch
-- (dedup.Shared's Postings) by seq.
CREATE INDEX dedup_entries_seq ON dedup_entries (seq);

-- +goose Down
DROP INDEX dedup_entries_seq;
