-- The dedup index (dedup.Index): what the Deduper keeps of each processed
-- article and story. Its rows are not foreign-keyed to articles: the
-- Deduper may index an article before its row is stored, and the index
-- outlives articles pruned from the store.
--
-- uint64 keys and terms are stored as bigint with the same bits. Unlike
-- the other tables, the zero time is stored as itself (0001-01-01 UTC),
-- not NULL, so that it compares before every other time as time.Time
-- does. Vectors, signatures, title words and key lists are bytea in a
-- versioned binary form (see dedup.go).

-- +goose Up
-- seq is the order entries were first stored in, which Candidates returns
-- the newest of.
CREATE TABLE dedup_entries (
    article_id   bigint      PRIMARY KEY,
    seq          bigint      GENERATED ALWAYS AS IDENTITY,
    published    timestamptz NOT NULL,
    duplicate_of bigint,
    cluster_id   bigint      NOT NULL,
    shingles     integer     NOT NULL,
    signature    bytea       NOT NULL,
    title_words  bytea       NOT NULL,
    vector       bytea       NOT NULL,
    keys         bytea       NOT NULL
);

CREATE INDEX dedup_entries_versions ON dedup_entries (duplicate_of) WHERE duplicate_of IS NOT NULL;

-- One posting per distinct key of an entry; published is the entry's,
-- copied so that a look-up filters postings without reading entries.
CREATE TABLE dedup_keys (
    key        bigint      NOT NULL,
    seq        bigint      NOT NULL,
    article_id bigint      NOT NULL,
    published  timestamptz NOT NULL,
    PRIMARY KEY (key, seq)
);

CREATE TABLE dedup_clusters (
    id       bigint      PRIMARY KEY,
    size     integer     NOT NULL,
    first_at timestamptz NOT NULL,
    last_at  timestamptz NOT NULL,
    centroid bytea       NOT NULL,
    keys     bytea       NOT NULL
);

-- A story filed under one of its keys; seq orders filings, and a filing
-- keeps its place while the key stays among the story's.
CREATE TABLE dedup_cluster_keys (
    cluster_id bigint NOT NULL,
    key        bigint NOT NULL,
    seq        bigint GENERATED ALWAYS AS IDENTITY,
    PRIMARY KEY (cluster_id, key)
);

CREATE INDEX dedup_cluster_keys_filed ON dedup_cluster_keys (key, seq);

CREATE TABLE dedup_terms (
    term bigint PRIMARY KEY,
    docs bigint NOT NULL
);

-- The number of documents dedup_terms counted, in its single row.
CREATE TABLE dedup_doc_count (
    id   integer PRIMARY KEY CHECK (id = 1),
    docs bigint  NOT NULL
);

INSERT INTO dedup_doc_count (id, docs) VALUES (1, 0);

-- +goose Down
DROP TABLE dedup_doc_count;
DROP TABLE dedup_terms;
DROP TABLE dedup_cluster_keys;
DROP TABLE dedup_clusters;
DROP TABLE dedup_keys;
DROP TABLE dedup_entries;
