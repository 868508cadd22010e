package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/sqldb"
)

var updateSQL = sqldb.UpdateSQL{
	Update:     `UPDATE articles SET title = $1, text = $2, section = $3, section_confidence = $4 WHERE id = $5 RETURNING published_at`,
	DeleteTags: `DELETE FROM article_tags WHERE article_id = $1`,
}

// UpdateArticles rewrites the content and tags of stored articles in one
// transaction; unknown IDs are skipped.
func (s *Store) UpdateArticles(ctx context.Context, articles []*taglines.Article) (int, error) {
	n := 0
	docs := make([]searchDoc, len(articles))
	for i, a := range articles {
		docs[i] = newSearchDoc(a.Title, a.Text)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		n, err = sqldb.UpdateArticles(ctx, querier{tx}, updateSQL, articles,
			func(i int) error { return indexArticles(ctx, tx, []int64{articles[i].ID}, docs[i:i+1]) },
			func(a *taglines.Article, published time.Time) error { return relinkTags(ctx, tx, a, micro(published)) })
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("update articles: %w", translate(err))
	}
	return n, nil
}

// relinkTags links a rewritten article to its tags, creating the new ones.
func relinkTags(ctx context.Context, tx pgx.Tx, a *taglines.Article, published time.Time) error {
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
	return nil
}
