-- +goose Up
-- Operators' corrections to tagging: kind 'alias' (name is another
-- spelling of target), 'merge' (tag name becomes tag target) or 'block'
-- (name is never a tag; target is empty).
CREATE TABLE tag_rules (
    kind       text        NOT NULL,
    name       text        NOT NULL,
    target     text        NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, name)
);

-- +goose Down
DROP TABLE tag_rules;
