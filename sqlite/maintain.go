package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/taglines/taglines"
)

// UpdateArticles rewrites the content and tags of stored articles in one
// transaction; unknown IDs are skipped.
func (s *Store) UpdateArticles(ctx context.Context, articles []*taglines.Article) (int, error) {
	n := 0
	docs := make([]indexDoc, len(articles))
	for i, a := range articles {
		docs[i] = newIndexDoc(a.Title, a.Text)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		n = 0
		tagIDs := map[string]int64{}
		for i, a := range articles {
			var published int64
			err := tx.QueryRowContext(ctx, `
				UPDATE articles SET title = ?, text = ?, section = ?, section_confidence = ?
				WHERE id = ? RETURNING published_at`,
				a.Title, a.Text, a.Section, a.SectionConfidence, a.ID).Scan(&published)
			if errors.Is(err, sql.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
			n++
			if err := indexArticle(ctx, tx, a.ID, docs[i], true); err != nil {
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM article_tags WHERE article_id = ?`, a.ID); err != nil {
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
			if err := linkTags(ctx, tx, a.ID, a.Tags, published, tagIDs); err != nil {
				return fmt.Errorf("article %d: %w", a.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("update articles: %w", err)
	}
	return n, nil
}
