package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/taglines/taglines"
)

// UpdateArticles rewrites the content and tags of stored articles in one
// transaction; unknown IDs are skipped.
func (s *Store) UpdateArticles(ctx context.Context, articles []*taglines.Article) (int, error) {
	n := 0
	docs := make([]searchDoc, len(articles))
	for i, a := range articles {
		docs[i] = newSearchDoc(a.Title, a.Text)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		n = 0
		for i, a := range articles {
			var published time.Time
			err := tx.QueryRow(ctx, `
				UPDATE articles SET title = $1, text = $2, section = $3, section_confidence = $4
				WHERE id = $5 RETURNING published_at`,
				a.Title, a.Text, a.Section, a.SectionConfidence, a.ID).Scan(&published)
			if errors.Is(err, pgx.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
			n++
			if err := indexArticles(ctx, tx, []int64{a.ID}, docs[i:i+1]); err != nil {
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
			if _, err := tx.Exec(ctx, `DELETE FROM article_tags WHERE article_id = $1`, a.ID); err != nil {
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
			seen := map[string]bool{}
			for pos, t := range a.Tags {
				slug, name, ok := tagKey(t)
				if !ok || seen[slug] {
					continue
				}
				seen[slug] = true
				if _, err := tx.Exec(ctx, `INSERT INTO tags (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING`, slug, name); err != nil {
					return fmt.Errorf("tag %s: %w", slug, err)
				}
				if _, err := tx.Exec(ctx, `
					INSERT INTO article_tags (article_id, tag_id, position, published_at)
					SELECT $1, id, $2, $3 FROM tags WHERE slug = $4
					ON CONFLICT DO NOTHING`, a.ID, pos, published, slug); err != nil {
					return fmt.Errorf("tag %s of article %d: %w", slug, a.ID, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("update articles: %w", translate(err))
	}
	return n, nil
}

// ScanArticles walks the articles by ascending ID.
func (s *Store) ScanArticles(ctx context.Context, afterID int64, limit int, sourceID int64) ([]*taglines.Article, error) {
	if limit <= 0 {
		limit = defaultLimit
	}
	out, err := s.queryArticles(ctx, `SELECT `+articleColumns+` FROM articles a JOIN sources s ON s.id = a.source_id
		WHERE a.id > $1 AND ($2 = 0 OR a.source_id = $2) ORDER BY a.id LIMIT $3`, afterID, sourceID, limit)
	if err != nil {
		return nil, fmt.Errorf("scan articles: %w", err)
	}
	return out, nil
}

// TagRules lists the tag rules by kind and name.
func (s *Store) TagRules(ctx context.Context) ([]taglines.TagRule, error) {
	rows, err := s.pool.Query(ctx, `SELECT kind, name, target FROM tag_rules ORDER BY kind, name`)
	if err != nil {
		return nil, fmt.Errorf("tag rules: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (taglines.TagRule, error) {
		var tr taglines.TagRule
		err := r.Scan(&tr.Kind, &tr.Name, &tr.Target)
		return tr, err
	})
	if err != nil {
		return nil, fmt.Errorf("tag rules: %w", err)
	}
	return out, nil
}

// SetTagRule stores a tag rule, replacing one of the same kind and name.
func (s *Store) SetTagRule(ctx context.Context, r taglines.TagRule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO tag_rules (kind, name, target) VALUES ($1, $2, $3)
		ON CONFLICT (kind, name) DO UPDATE SET target = excluded.target`, string(r.Kind), r.Name, r.Target)
	if err != nil {
		return fmt.Errorf("set tag rule %s %q: %w", r.Kind, r.Name, translate(err))
	}
	return nil
}

// DeleteTagRule removes a tag rule, or returns ErrNotFound.
func (s *Store) DeleteTagRule(ctx context.Context, kind taglines.TagRuleKind, name string) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM tag_rules WHERE kind = $1 AND name = $2`, string(kind), name)
	if err != nil {
		return fmt.Errorf("delete tag rule %s %q: %w", kind, name, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("delete tag rule %s %q: %w", kind, name, taglines.ErrNotFound)
	}
	return nil
}
