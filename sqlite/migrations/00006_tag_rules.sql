-- +goose Up
-- Operators' corrections to tagging: kind 'alias' (name is another
-- spelling of target), 'merge' (tag name becomes tag target) or 'block'
-- (name is never a tag; target is empty).
CREATE TABLE tag_rules (
    kind       TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    target     TEXT    NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (kind, name)
);

-- +goose Down
DROP TABLE tag_rules;
