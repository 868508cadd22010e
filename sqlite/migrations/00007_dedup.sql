-- The dedup index (dedup.Index): what the Deduper keeps of each processed
-- article and story. Its rows are not foreign-keyed to articles: the
-- Deduper may index an article before its row is stored, and the index
-- outlives articles pruned from the store.
--
-- uint64 keys and terms are stored as INTEGER with the same bits. Times are
-- INTEGER microseconds since the Unix epoch; unlike the other tables the
-- zero time is stored as itself (year 1), not NULL, so that it compares
-- before every other time as time.Time does. Vectors, signatures, title
-- words and key lists are BLOBs in a versioned binary form (see dedup.go).

-- +goose Up
-- seq (the rowid) is the order entries were first stored in, which
-- Candidates returns the newest of.
CREATE TABLE dedup_entries (
    seq          INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL UNIQUE,
    published    INTEGER NOT NULL,
    duplicate_of INTEGER,
    cluster_id   INTEGER NOT NULL,
    shingles     INTEGER NOT NULL,
    signature    BLOB    NOT NULL,
    title_words  BLOB    NOT NULL,
    vector       BLOB    NOT NULL,
    keys         BLOB    NOT NULL
);

CREATE INDEX dedup_entries_versions ON dedup_entries (duplicate_of) WHERE duplicate_of IS NOT NULL;

-- One posting per distinct key of an entry; published is the entry's,
-- copied so that a look-up filters postings without reading entries.
CREATE TABLE dedup_keys (
    key       INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    published INTEGER NOT NULL,
    PRIMARY KEY (key, seq)
) WITHOUT ROWID;

CREATE TABLE dedup_clusters (
    id       INTEGER PRIMARY KEY,
    size     INTEGER NOT NULL,
    first_at INTEGER NOT NULL,
    last_at  INTEGER NOT NULL,
    centroid BLOB    NOT NULL,
    keys     BLOB    NOT NULL
);

-- A story filed under one of its keys; seq (the rowid) orders filings,
-- and a filing keeps its place while the key stays among the story's.
CREATE TABLE dedup_cluster_keys (
    seq        INTEGER PRIMARY KEY,
    cluster_id INTEGER NOT NULL,
    key        INTEGER NOT NULL,
    UNIQUE (cluster_id, key)
);

CREATE INDEX dedup_cluster_keys_filed ON dedup_cluster_keys (key, seq);

CREATE TABLE dedup_terms (
    term INTEGER PRIMARY KEY,
    docs INTEGER NOT NULL
);

-- The number of documents dedup_terms counted, in its single row.
CREATE TABLE dedup_doc_count (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    docs INTEGER NOT NULL
);

INSERT INTO dedup_doc_count (id, docs) VALUES (1, 0);

-- +goose Down
DROP TABLE dedup_doc_count;
DROP TABLE dedup_terms;
DROP TABLE dedup_cluster_keys;
DROP TABLE dedup_clusters;
DROP TABLE dedup_keys;
DROP TABLE dedup_entries;
