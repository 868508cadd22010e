-- +goose Up
-- Write generations (dedup.Shared): every transaction that stores or
-- deletes a story, or counts document frequencies, takes the next number
-- of the counter and stamps the stories it stores with it, so that a
-- process keeping recent stories in memory (dedup.Cache) reads only what
-- other processes wrote since its last batch.
ALTER TABLE dedup_doc_count ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dedup_clusters ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
CREATE INDEX dedup_clusters_generation ON dedup_clusters (generation);
-- A cache loads the stories of the recent past.
CREATE INDEX dedup_clusters_last ON dedup_clusters (last_at);

-- A deleted story, and the generation that deleted it.
CREATE TABLE dedup_cluster_drops (
    id         INTEGER PRIMARY KEY,
    generation INTEGER NOT NULL
);
CREATE INDEX dedup_cluster_drops_generation ON dedup_cluster_drops (generation);

-- Filings without the unique index on (cluster_id, key): PutCluster
-- writes only the keys that changed, from the story's stored key list, so
-- a filing is never inserted twice. Of the three B-trees a filing was
-- written into, two now grow at their end (seq, and cluster IDs, which
-- are article IDs and so mostly increase); only (key, seq) takes random
-- inserts. Filing a new story was a fifth of deciding an article.
CREATE TABLE dedup_cluster_keys_new (
    seq        INTEGER PRIMARY KEY,
    cluster_id INTEGER NOT NULL,
    key        INTEGER NOT NULL
);
INSERT INTO dedup_cluster_keys_new (seq, cluster_id, key) SELECT seq, cluster_id, key FROM dedup_cluster_keys;
DROP TABLE dedup_cluster_keys;
ALTER TABLE dedup_cluster_keys_new RENAME TO dedup_cluster_keys;
CREATE INDEX dedup_cluster_keys_filed ON dedup_cluster_keys (key, seq);
CREATE INDEX dedup_cluster_keys_cluster ON dedup_cluster_keys (cluster_id);

-- +goose Down
CREATE TABLE dedup_cluster_keys_old (
    seq        INTEGER PRIMARY KEY,
    cluster_id INTEGER NOT NULL,
    key        INTEGER NOT NULL,
    UNIQUE (cluster_id, key)
);
INSERT OR IGNORE INTO dedup_cluster_keys_old (seq, cluster_id, key) SELECT seq, cluster_id, key FROM dedup_cluster_keys ORDER BY seq;
DROP TABLE dedup_cluster_keys;
ALTER TABLE dedup_cluster_keys_old RENAME TO dedup_cluster_keys;
CREATE INDEX dedup_cluster_keys_filed ON dedup_cluster_keys (key, seq);
DROP TABLE dedup_cluster_drops;
DROP INDEX dedup_clusters_last;
DROP INDEX dedup_clusters_generation;
ALTER TABLE dedup_clusters DROP COLUMN generation;
ALTER TABLE dedup_doc_count DROP COLUMN generation;
