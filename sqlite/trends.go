package sqlite

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/taglines/taglines"
)

// CoTags returns the tags carried with slug by articles published at or
// after since, most frequent first.
func (s *Store) CoTags(ctx context.Context, slug string, since time.Time, limit int) ([]taglines.TagCount, error) {
	if limit <= 0 {
		limit = defaultLimit
	}
	rows, err := s.r.QueryContext(ctx, `
		SELECT t.slug, t.name, COUNT(*) AS n
		FROM article_tags b
		JOIN article_tags o ON o.article_id = b.article_id AND o.tag_id != b.tag_id
		JOIN tags t ON t.id = o.tag_id
		WHERE b.tag_id = (SELECT id FROM tags WHERE slug = ?) AND b.published_at >= ?
		GROUP BY o.tag_id
		ORDER BY n DESC, t.slug
		LIMIT ?`, taglines.TagSlug(slug), sinceMicro(since), limit)
	if err != nil {
		return nil, fmt.Errorf("co-tags of %s: %w", slug, err)
	}
	defer rows.Close()
	var out []taglines.TagCount
	for rows.Next() {
		var tc taglines.TagCount
		if err := rows.Scan(&tc.Slug, &tc.Name, &tc.Count); err != nil {
			return nil, fmt.Errorf("co-tags of %s: %w", slug, err)
		}
		out = append(out, tc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("co-tags of %s: %w", slug, err)
	}
	return out, nil
}

// TagCounts counts the articles in [since, until) carrying each of slugs,
// and those carrying any tag.
func (s *Store) TagCounts(ctx context.Context, slugs []string, since, until time.Time) (map[string]int, int, error) {
	to := int64(math.MaxInt64)
	if !until.IsZero() {
		to = until.UnixMicro()
	}
	from := sinceMicro(since)
	var tagged int
	if err := s.r.QueryRowContext(ctx,
		`SELECT COUNT(DISTINCT article_id) FROM article_tags WHERE published_at >= ? AND published_at < ?`, from, to).Scan(&tagged); err != nil {
		return nil, 0, fmt.Errorf("tag counts: %w", err)
	}
	counts := make(map[string]int, len(slugs))
	if len(slugs) == 0 {
		return counts, tagged, nil
	}
	args := []any{from, to}
	for _, sl := range slugs {
		args = append(args, taglines.TagSlug(sl))
	}
	rows, err := s.r.QueryContext(ctx, `
		SELECT t.slug, COUNT(*) FROM article_tags a JOIN tags t ON t.id = a.tag_id
		WHERE a.published_at >= ? AND a.published_at < ? AND t.slug IN (`+strings.TrimSuffix(strings.Repeat("?,", len(slugs)), ",")+`)
		GROUP BY t.slug`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("tag counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var slug string
		var n int
		if err := rows.Scan(&slug, &n); err != nil {
			return nil, 0, fmt.Errorf("tag counts: %w", err)
		}
		counts[slug] = n
	}
	return counts, tagged, rows.Err()
}

func sinceMicro(t time.Time) int64 {
	if t.IsZero() {
		return math.MinInt64
	}
	return t.UnixMicro()
}
