package taglines

import (
	"cmp"
	"context"
	"math"
	"slices"
	"time"
)

// ScoredTag is a tag with the figures it was ranked by.
type ScoredTag struct {
	Tag
	Count int     // articles in the window
	Score float64 // lift for related tags, rise over baseline for trending ones
}

// Defaults of the tag rankings.
const (
	// RelatedWindow is how far back related tags look.
	RelatedWindow = 30 * 24 * time.Hour
	// TrendingWindow is the recent period whose rate is compared with the
	// tag's own rate over TrendingBaseline before it.
	TrendingWindow   = 6 * time.Hour
	TrendingBaseline = 7 * 24 * time.Hour
)

// RelatedTags returns the tags that appear with tag more than chance would
// have them: co-occurring in at least 2 articles since since, with a lift
// (observed co-occurrence over what independence predicts) of at least
// 1.5, ranked by count × log(lift), at most limit.
func RelatedTags(ctx context.Context, s Store, tag Tag, since time.Time, limit int) ([]ScoredTag, error) {
	co, err := s.CoTags(ctx, tag.Slug, since, 100)
	if err != nil || len(co) == 0 {
		return nil, err
	}
	slugs := make([]string, 0, len(co)+1)
	slugs = append(slugs, tag.Slug)
	for _, c := range co {
		slugs = append(slugs, c.Slug)
	}
	counts, tagged, err := s.TagCounts(ctx, slugs, since, time.Time{})
	if err != nil {
		return nil, err
	}
	nTag := counts[tag.Slug]
	if nTag == 0 || tagged == 0 {
		return nil, nil
	}
	var out []ScoredTag
	for _, c := range co {
		n := counts[c.Slug]
		if c.Count < 2 || n == 0 {
			continue
		}
		expected := float64(nTag) * float64(n) / float64(tagged)
		lift := float64(c.Count) / expected
		if lift < 1.5 {
			continue
		}
		out = append(out, ScoredTag{Tag: c.Tag, Count: c.Count, Score: float64(c.Count) * math.Log(lift)})
	}
	slices.SortFunc(out, func(a, b ScoredTag) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Slug, b.Slug)) })
	return out[:min(limit, len(out))], nil
}

// TrendingTags returns the tags whose rate over the last TrendingWindow is
// well above their own rate over the TrendingBaseline before it: at least
// 3 recent articles and at least twice the expected count (with add-one
// smoothing, so a brand-new tag needs real volume), ranked by that rise,
// at most limit.
func TrendingTags(ctx context.Context, s Store, now time.Time, limit int) ([]ScoredTag, error) {
	recentFrom := now.Add(-TrendingWindow)
	recent, err := s.TopTags(ctx, recentFrom, 200)
	if err != nil || len(recent) == 0 {
		return nil, err
	}
	slugs := make([]string, len(recent))
	for i, r := range recent {
		slugs[i] = r.Slug
	}
	base, _, err := s.TagCounts(ctx, slugs, recentFrom.Add(-TrendingBaseline), recentFrom)
	if err != nil {
		return nil, err
	}
	scale := float64(TrendingWindow) / float64(TrendingBaseline)
	var out []ScoredTag
	for _, r := range recent {
		expected := float64(base[r.Slug]) * scale
		rise := (float64(r.Count) + 1) / (expected + 1)
		if r.Count < 3 || rise < 2 {
			continue
		}
		out = append(out, ScoredTag{Tag: r.Tag, Count: r.Count, Score: rise})
	}
	slices.SortFunc(out, func(a, b ScoredTag) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.Slug, b.Slug)) })
	return out[:min(limit, len(out))], nil
}
