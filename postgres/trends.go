package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/taglines/taglines"
)

// farPast and farFuture stand for open bounds of a time window.
var (
	farPast   = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
)

// CoTags returns the tags carried with slug by articles published at or
// after since, most frequent first.
func (s *Store) CoTags(ctx context.Context, slug string, since time.Time, limit int) ([]taglines.TagCount, error) {
	if limit <= 0 {
		limit = defaultLimit
	}
	if since.IsZero() {
		since = farPast
	}
	rows, err := s.pool.Query(ctx, `
		SELECT t.slug, t.name, count(*) AS n
		FROM article_tags b
		JOIN article_tags o ON o.article_id = b.article_id AND o.tag_id <> b.tag_id
		JOIN tags t ON t.id = o.tag_id
		WHERE b.tag_id = (SELECT id FROM tags WHERE slug = $1) AND b.published_at >= $2
		GROUP BY t.slug, t.name
		ORDER BY n DESC, t.slug
		LIMIT $3`, taglines.TagSlug(slug), since, limit)
	if err != nil {
		return nil, fmt.Errorf("co-tags of %s: %w", slug, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (taglines.TagCount, error) {
		var tc taglines.TagCount
		err := r.Scan(&tc.Slug, &tc.Name, &tc.Count)
		return tc, err
	})
	if err != nil {
		return nil, fmt.Errorf("co-tags of %s: %w", slug, err)
	}
	return out, nil
}

// TagCounts counts the articles in [since, until) carrying each of slugs,
// and those carrying any tag.
func (s *Store) TagCounts(ctx context.Context, slugs []string, since, until time.Time) (map[string]int, int, error) {
	if since.IsZero() {
		since = farPast
	}
	if until.IsZero() {
		until = farFuture
	}
	var tagged int
	if err := s.pool.QueryRow(ctx,
		`SELECT count(DISTINCT article_id) FROM article_tags WHERE published_at >= $1 AND published_at < $2`, since, until).Scan(&tagged); err != nil {
		return nil, 0, fmt.Errorf("tag counts: %w", err)
	}
	counts := make(map[string]int, len(slugs))
	if len(slugs) == 0 {
		return counts, tagged, nil
	}
	norm := make([]string, len(slugs))
	for i, sl := range slugs {
		norm[i] = taglines.TagSlug(sl)
	}
	rows, err := s.pool.Query(ctx, `
		SELECT t.slug, count(*) FROM article_tags a JOIN tags t ON t.id = a.tag_id
		WHERE a.published_at >= $1 AND a.published_at < $2 AND t.slug = ANY($3)
		GROUP BY t.slug`, since, until, norm)
	if err != nil {
		return nil, 0, fmt.Errorf("tag counts: %w", err)
	}
	var slug string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&slug, &n}, func() error {
		counts[slug] = n
		return nil
	}); err != nil {
		return nil, 0, fmt.Errorf("tag counts: %w", err)
	}
	return counts, tagged, nil
}
