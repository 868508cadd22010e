package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/sqldb"
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
				slug, name, ok := sqldb.TagKey(t)
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
