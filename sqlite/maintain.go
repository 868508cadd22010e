package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/sqldb"
)

var updateSQL = sqldb.UpdateSQL{
	Update:     `UPDATE articles SET title = ?, text = ?, section = ?, section_confidence = ? WHERE id = ? RETURNING published_at`,
	DeleteTags: `DELETE FROM article_tags WHERE article_id = ?`,
}

// UpdateArticles rewrites the content and tags of stored articles in one
// transaction; unknown IDs are skipped.
func (s *Store) UpdateArticles(ctx context.Context, articles []*taglines.Article) (int, error) {
	n := 0
	docs := make([]indexDoc, len(articles))
	for i, a := range articles {
		docs[i] = newIndexDoc(a.Title, a.Text)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		tagIDs := map[string]int64{}
		var err error
		n, err = sqldb.UpdateArticles(ctx, querier{tx}, updateSQL, articles,
			func(i int) error { return indexArticle(ctx, tx, articles[i].ID, docs[i], true) },
			func(a *taglines.Article, published time.Time) error {
				return linkTags(ctx, tx, a.ID, a.Tags, published.UnixMicro(), tagIDs)
			})
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("update articles: %w", err)
	}
	return n, nil
}
