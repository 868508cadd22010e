-- +goose Up
-- Filings keyed by story, without a rowid: a filing was written into three
-- B-trees (the rowid, the story, the key), and filing a new story under
-- its keys was the largest share of storing a decision. Now it goes into
-- two: the primary key, which grows at its end as story IDs (article IDs)
-- do, and (key, seq), the look-up. seq still orders filings; a write
-- numbers the filings it makes from its generation (dedup.Shared) times
-- 2^24, so the generation first moves past the rowids the former table
-- handed out (a database filed before generations existed has few).
CREATE TABLE dedup_cluster_keys_new (
    cluster_id INTEGER NOT NULL,
    key        INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, key)
) WITHOUT ROWID;
UPDATE dedup_doc_count SET generation = max(generation, ((SELECT coalesce(max(seq), 0) FROM dedup_cluster_keys) >> 24) + 1);
INSERT OR IGNORE INTO dedup_cluster_keys_new (cluster_id, key, seq) SELECT cluster_id, key, seq FROM dedup_cluster_keys ORDER BY seq;
DROP TABLE dedup_cluster_keys;
ALTER TABLE dedup_cluster_keys_new RENAME TO dedup_cluster_keys;
CREATE INDEX dedup_cluster_keys_filed ON dedup_cluster_keys (key, seq);

-- +goose Down
CREATE TABLE dedup_cluster_keys_old (
    seq        INTEGER PRIMARY KEY,
    cluster_id INTEGER NOT NULL,
    key        INTEGER NOT NULL
);
INSERT INTO dedup_cluster_keys_old (seq, cluster_id, key) SELECT seq, cluster_id, key FROM dedup_cluster_keys;
DROP TABLE dedup_cluster_keys;
ALTER TABLE dedup_cluster_keys_old RENAME TO dedup_cluster_keys;
CREATE INDEX dedup_cluster_keys_filed ON dedup_cluster_keys (key, seq);
CREATE INDEX dedup_cluster_keys_cluster ON dedup_cluster_keys (cluster_id);
