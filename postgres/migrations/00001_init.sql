-- +goose Up
CREATE TABLE sources (
    id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url                  text        NOT NULL UNIQUE,
    title                text        NOT NULL DEFAULT '',
    site_url             text        NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL,
    etag                 text        NOT NULL DEFAULT '',
    last_modified        text        NOT NULL DEFAULT '',
    last_attempt_at      timestamptz,
    last_success_at      timestamptz,
    status               text        NOT NULL DEFAULT '',
    http_status          integer     NOT NULL DEFAULT 0,
    last_error           text        NOT NULL DEFAULT '',
    consecutive_failures integer     NOT NULL DEFAULT 0,
    next_poll_at         timestamptz NOT NULL,
    claimed_by           text,
    claim_expires_at     timestamptz
);

-- The poller's question: which sources are due, soonest first.
CREATE INDEX sources_due ON sources (next_poll_at, id);

CREATE TABLE articles (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id    bigint      NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    url          text        NOT NULL,
    guid         text        NOT NULL DEFAULT '',
    title        text        NOT NULL DEFAULT '',
    text         text        NOT NULL DEFAULT '',
    author       text        NOT NULL DEFAULT '',
    language     text        NOT NULL DEFAULT '',
    image_url    text        NOT NULL DEFAULT '',
    site_name    text        NOT NULL DEFAULT '',
    section      text        NOT NULL DEFAULT '',
    published_at timestamptz NOT NULL,
    fetched_at   timestamptz NOT NULL,
    UNIQUE (source_id, url)
);

CREATE INDEX articles_newest ON articles (published_at DESC, id DESC);

CREATE TABLE tags (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug text   NOT NULL UNIQUE,
    name text   NOT NULL
);

-- published_at is the article's, copied so that a tag page is one range
-- scan of article_tags_newest. position keeps the article's tag order.
CREATE TABLE article_tags (
    article_id   bigint      NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id       bigint      NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position     integer     NOT NULL,
    published_at timestamptz NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);

CREATE INDEX article_tags_newest ON article_tags (tag_id, published_at DESC, article_id DESC);
-- TopTags counts the links of recent articles.
CREATE INDEX article_tags_recent ON article_tags (published_at, tag_id);

-- +goose Down
DROP TABLE article_tags;
DROP TABLE tags;
DROP TABLE articles;
DROP TABLE sources;
