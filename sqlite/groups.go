package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"

	"github.com/taglines/taglines"
)

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
		// Prepared once per call: parsing them again for every article was
		// a tenth of the statements' cost in the ingest benchmark.
		prevStmt, err := tx.PrepareContext(ctx, `SELECT duplicate_of FROM articles WHERE id = ?`)
		if err != nil {
			return fmt.Errorf("set groups: %w", err)
		}
		defer prevStmt.Close()
		newest, err := tx.PrepareContext(ctx, `
				UPDATE articles SET superseded = (id <> (
					SELECT id FROM articles WHERE id = ?1 OR duplicate_of = ?1 ORDER BY published_at DESC, id DESC LIMIT 1))
				WHERE id = ?1 OR duplicate_of = ?1`)
		if err != nil {
			return fmt.Errorf("set groups: %w", err)
		}
		defer newest.Close()
		roots := map[int64]bool{}
		for _, g := range groups {
			// The group the article leaves needs its newest version again.
			var prev sql.NullInt64
			if err := prevStmt.QueryRowContext(ctx, g.ArticleID).Scan(&prev); err == nil && prev.Valid {
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
			if _, err := newest.ExecContext(ctx, root); err != nil {
				return fmt.Errorf("set groups: versions of %d: %w", root, err)
			}
		}
		return nil
	})
}
