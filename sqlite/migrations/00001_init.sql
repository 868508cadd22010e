-- Times are INTEGER microseconds since the Unix epoch, UTC; NULL is the
-- zero time.

-- +goose Up
CREATE TABLE sources (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    url                  TEXT    NOT NULL UNIQUE,
    title                TEXT    NOT NULL DEFAULT '',
    site_url             TEXT    NOT NULL DEFAULT '',
    created_at           INTEGER NOT NULL,
    etag                 TEXT    NOT NULL DEFAULT '',
    last_modified        TEXT    NOT NULL DEFAULT '',
    last_attempt_at      INTEGER,
    last_success_at      INTEGER,
    status               TEXT    NOT NULL DEFAULT '',
    http_status          INTEGER NOT NULL DEFAULT 0,
    last_error           TEXT    NOT NULL DEFAULT '',
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    next_poll_at         INTEGER NOT NULL,
    claimed_by           TEXT,
    claim_expires_at     INTEGER
);

-- The poller's question: which sources are due, soonest first.
CREATE INDEX sources_due ON sources (next_poll_at, id);

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    url          TEXT    NOT NULL,
    guid         TEXT    NOT NULL DEFAULT '',
    title        TEXT    NOT NULL DEFAULT '',
    text         TEXT    NOT NULL DEFAULT '',
    author       TEXT    NOT NULL DEFAULT '',
    language     TEXT    NOT NULL DEFAULT '',
    image_url    TEXT    NOT NULL DEFAULT '',
    site_name    TEXT    NOT NULL DEFAULT '',
    section      TEXT    NOT NULL DEFAULT '',
    published_at INTEGER NOT NULL,
    fetched_at   INTEGER NOT NULL,
    UNIQUE (source_id, url)
);

CREATE INDEX articles_newest ON articles (published_at DESC, id DESC);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

-- published_at is the article's, copied so that a tag page is one range
-- scan of article_tags_newest. position keeps the article's tag order.
CREATE TABLE article_tags (
    article_id   INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id       INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    published_at INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;

CREATE INDEX article_tags_newest ON article_tags (tag_id, published_at DESC, article_id DESC);
-- TopTags counts the links of recent articles.
CREATE INDEX article_tags_recent ON article_tags (published_at, tag_id);

-- +goose Down
DROP TABLE article_tags;
DROP TABLE tags;
DROP TABLE articles;
DROP TABLE sources;
