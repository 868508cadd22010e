package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/taglines/taglines"
)

// SetGroups records the dedup stage's decisions in one statement;
// unknown articles are ignored.
func (s *Store) SetGroups(ctx context.Context, groups []taglines.Group) error {
	if len(groups) == 0 {
		return nil
	}
	ids, dups, clusters := make([]int64, len(groups)), make([]int64, len(groups)), make([]int64, len(groups))
	for i, g := range groups {
		ids[i], dups[i], clusters[i] = g.ArticleID, g.DuplicateOf, g.Cluster
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The groups touched: those joined, and those the articles leave.
		rows, err := tx.Query(ctx, `
			UPDATE articles a SET duplicate_of = NULLIF(g.dup, 0), cluster_id = NULLIF(g.cluster, 0)
			FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS g(id, dup, cluster),
				(SELECT id, duplicate_of AS prev FROM articles WHERE id = ANY($1)) old
			WHERE a.id = g.id AND old.id = g.id
			RETURNING COALESCE(NULLIF(g.dup, 0), g.id), old.prev`, ids, dups, clusters)
		if err != nil {
			return err
		}
		roots := map[int64]bool{}
		var root int64
		var prev *int64
		if _, err := pgx.ForEachRow(rows, []any{&root, &prev}, func() error {
			roots[root] = true
			if prev != nil {
				roots[*prev] = true
			}
			return nil
		}); err != nil {
			return err
		}
		list := make([]int64, 0, len(roots))
		for r := range roots {
			list = append(list, r)
		}
		// In each group touched, only the newest version is listed.
		_, err = tx.Exec(ctx, `
			UPDATE articles a SET superseded = (a.id <> n.newest)
			FROM (SELECT DISTINCT ON (g) g, id AS newest FROM (
				SELECT COALESCE(duplicate_of, id) AS g, id, published_at FROM articles
				WHERE id = ANY($1) OR duplicate_of = ANY($1)) m
				ORDER BY g, published_at DESC, id DESC) n
			WHERE COALESCE(a.duplicate_of, a.id) = n.g AND (a.id = ANY($1) OR a.duplicate_of = ANY($1))`, list)
		return err
	})
	if err != nil {
		return fmt.Errorf("set groups: %w", translate(err))
	}
	return nil
}
