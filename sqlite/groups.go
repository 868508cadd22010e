package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/taglines/taglines"
)

func nullInt(n sql.NullInt64) int64 {
	if !n.Valid {
		return 0
	}
	return n.Int64
}

// SetGroups records the dedup stage's decisions in one transaction;
// unknown articles are ignored.
func (s *Store) SetGroups(ctx context.Context, groups []taglines.Group) error {
	if len(groups) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `UPDATE articles SET duplicate_of = ?, cluster_id = ? WHERE id = ?`)
		if err != nil {
			return fmt.Errorf("set groups: %w", err)
		}
		defer stmt.Close()
		roots := map[int64]bool{}
		for _, g := range groups {
			// The group the article leaves needs its newest version again.
			var prev sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT duplicate_of FROM articles WHERE id = ?`, g.ArticleID).Scan(&prev); err == nil && prev.Valid {
				roots[prev.Int64] = true
			}
			roots[cmp.Or(g.DuplicateOf, g.ArticleID)] = true
			var dup, cluster any
			if g.DuplicateOf != 0 {
				dup = g.DuplicateOf
			}
			if g.Cluster != 0 {
				cluster = g.Cluster
			}
			if _, err := stmt.ExecContext(ctx, dup, cluster, g.ArticleID); err != nil {
				return fmt.Errorf("set groups of article %d: %w", g.ArticleID, err)
			}
		}
		// In each group touched, only the newest version is listed.
		for root := range roots {
			if _, err := tx.ExecContext(ctx, `
				UPDATE articles SET superseded = (id <> (
					SELECT id FROM articles WHERE id = ?1 OR duplicate_of = ?1 ORDER BY published_at DESC, id DESC LIMIT 1))
				WHERE id = ?1 OR duplicate_of = ?1`, root); err != nil {
				return fmt.Errorf("set groups: versions of %d: %w", root, err)
			}
		}
		return nil
	})
}

// loadGroupCounts fills Versions and StorySources of a page of articles
// with two grouped look-ups on the partial indexes.
func (s *Store) loadGroupCounts(ctx context.Context, articles []*taglines.Article) error {
	if len(articles) == 0 {
		return nil
	}
	ids, clusters := make([]any, 0, len(articles)), make([]any, 0, len(articles))
	for _, a := range articles {
		ids = append(ids, cmp.Or(a.DuplicateOf, a.ID))
		if a.Cluster != 0 {
			clusters = append(clusters, a.Cluster)
		}
	}
	versions := map[int64]int{}
	if err := s.counts(ctx, `SELECT duplicate_of, count(*) FROM articles WHERE duplicate_of IN (%s) GROUP BY duplicate_of`, ids, versions); err != nil {
		return err
	}
	sources := map[int64]int{}
	if len(clusters) > 0 {
		if err := s.counts(ctx, `SELECT cluster_id, count(DISTINCT source_id) FROM articles WHERE cluster_id IN (%s) GROUP BY cluster_id`, clusters, sources); err != nil {
			return err
		}
	}
	for _, a := range articles {
		// A group is its first article and those naming it: the others
		// of any member are as many as those naming the first.
		a.Versions = versions[cmp.Or(a.DuplicateOf, a.ID)]
		a.StorySources = sources[a.Cluster]
	}
	return nil
}

func (s *Store) counts(ctx context.Context, query string, keys []any, into map[int64]int) error {
	rows, err := s.r.QueryContext(ctx, fmt.Sprintf(query, strings.TrimSuffix(strings.Repeat("?,", len(keys)), ",")), keys...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k int64
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		into[k] = n
	}
	return rows.Err()
}
