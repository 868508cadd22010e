package postgres

import (
	"cmp"
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/taglines/taglines"
)

func nullInt(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}

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

// loadGroupCounts fills Versions and StorySources of a page of articles
// with two grouped look-ups on the partial indexes.
func (s *Store) loadGroupCounts(ctx context.Context, articles []*taglines.Article) error {
	if len(articles) == 0 {
		return nil
	}
	ids, clusters := make([]int64, 0, len(articles)), make([]int64, 0, len(articles))
	for _, a := range articles {
		ids = append(ids, cmp.Or(a.DuplicateOf, a.ID))
		if a.Cluster != 0 {
			clusters = append(clusters, a.Cluster)
		}
	}
	versions, err := s.counts(ctx, `SELECT duplicate_of, count(*) FROM articles WHERE duplicate_of = ANY($1) GROUP BY duplicate_of`, ids)
	if err != nil {
		return err
	}
	sources, err := s.counts(ctx, `SELECT cluster_id, count(DISTINCT source_id) FROM articles WHERE cluster_id = ANY($1) GROUP BY cluster_id`, clusters)
	if err != nil {
		return err
	}
	for _, a := range articles {
		// A group is its first article and those naming it: the others
		// of any member are as many as those naming the first.
		a.Versions = versions[cmp.Or(a.DuplicateOf, a.ID)]
		a.StorySources = sources[a.Cluster]
	}
	return nil
}

func (s *Store) counts(ctx context.Context, query string, keys []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(keys) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, query, keys)
	if err != nil {
		return nil, err
	}
	var k int64
	var n int
	_, err = pgx.ForEachRow(rows, []any{&k, &n}, func() error {
		out[k] = n
		return nil
	})
	return out, err
}
