-- +goose Up
-- Write generations (dedup.Shared): every transaction that stores or
-- deletes a story, or counts document frequencies, takes the next number
-- of the counter and stamps the stories it stores with it, so that a
-- process keeping recent stories in memory (dedup.Cache) reads only what
-- other processes wrote since its last batch.
ALTER TABLE dedup_doc_count ADD COLUMN generation bigint NOT NULL DEFAULT 0;
ALTER TABLE dedup_clusters ADD COLUMN generation bigint NOT NULL DEFAULT 0;
CREATE INDEX dedup_clusters_generation ON dedup_clusters (generation);
-- A cache loads the stories of the recent past.
CREATE INDEX dedup_clusters_last ON dedup_clusters (last_at);

-- A deleted story, and the generation that deleted it.
CREATE TABLE dedup_cluster_drops (
    id         bigint PRIMARY KEY,
    generation bigint NOT NULL
);
CREATE INDEX dedup_cluster_drops_generation ON dedup_cluster_drops (generation);

-- +goose Down
DROP TABLE dedup_cluster_drops;
DROP INDEX dedup_clusters_last;
DROP INDEX dedup_clusters_generation;
ALTER TABLE dedup_clusters DROP COLUMN generation;
ALTER TABLE dedup_doc_count DROP COLUMN generation;
