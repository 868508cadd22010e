package sqldb

import (
	"context"
	"fmt"
	"time"

	"github.com/taglines/taglines"
)

func scanTagCount(row Row) (taglines.TagCount, error) {
	var tc taglines.TagCount
	err := row.Scan(&tc.Slug, &tc.Name, &tc.Count)
	return tc, err
}

// Tag resolves a tag slug or name, case-insensitively, or returns
// ErrNotFound.
func (q *Queries) Tag(ctx context.Context, nameOrSlug string) (taglines.Tag, error) {
	var t taglines.Tag
	if err := q.r.QueryRow(ctx, q.sql.Tag, taglines.TagSlug(nameOrSlug)).Scan(&t.Slug, &t.Name); err != nil {
		return taglines.Tag{}, fmt.Errorf("tag %q: %w", nameOrSlug, q.translate(err))
	}
	return t, nil
}

// since is the lower bound of a window that starts at t, open if t is zero.
func (q *Queries) since(t time.Time) any {
	if t.IsZero() {
		return q.sql.Past
	}
	return q.sql.Time(t)
}

// TopTags returns the tags carried by the most articles published at or
// after since (all articles if since is zero), most frequent first, then by
// slug. limit <= 0 means DefaultLimit.
func (q *Queries) TopTags(ctx context.Context, since time.Time, limit int) ([]taglines.TagCount, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	out, err := queryAll(ctx, q.r, scanTagCount, q.sql.TopTags, q.since(since), limit)
	if err != nil {
		return nil, fmt.Errorf("top tags: %w", err)
	}
	return out, nil
}

// CoTags returns the tags carried with slug by articles published at or
// after since, most frequent first, then by slug, at most limit (<= 0
// means DefaultLimit); slug itself is left out.
func (q *Queries) CoTags(ctx context.Context, slug string, since time.Time, limit int) ([]taglines.TagCount, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	out, err := queryAll(ctx, q.r, scanTagCount, q.sql.CoTags, taglines.TagSlug(slug), q.since(since), limit)
	if err != nil {
		return nil, fmt.Errorf("co-tags of %s: %w", slug, err)
	}
	return out, nil
}

// TagCounts counts the articles in [since, until) (a zero until means no
// upper bound) carrying each of slugs, and those carrying any tag.
func (q *Queries) TagCounts(ctx context.Context, slugs []string, since, until time.Time) (map[string]int, int, error) {
	from, to := q.since(since), q.sql.Future
	if !until.IsZero() {
		to = q.sql.Time(until)
	}
	var tagged int
	if err := q.r.QueryRow(ctx, q.sql.Tagged, from, to).Scan(&tagged); err != nil {
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
	var (
		slug string
		n    int
	)
	rows, err := q.r.Query(ctx, q.sql.TagCounts, from, to, q.sql.Strings(norm))
	if err := each(rows, err, []any{&slug, &n}, func() { counts[slug] = n }); err != nil {
		return nil, 0, fmt.Errorf("tag counts: %w", err)
	}
	return counts, tagged, nil
}

// SectionCounts counts the sections of the articles published at or after
// since (one per version group), largest first.
func (q *Queries) SectionCounts(ctx context.Context, since time.Time) ([]taglines.SectionCount, error) {
	out, err := queryAll(ctx, q.r, func(row Row) (taglines.SectionCount, error) {
		var c taglines.SectionCount
		err := row.Scan(&c.Name, &c.Count)
		return c, err
	}, q.sql.SectionCounts, q.sql.Time(since))
	if err != nil {
		return nil, fmt.Errorf("section counts: %w", err)
	}
	return out, nil
}

// Stats counts sources, articles, tags (every stored tag, carried or not)
// and failing sources (ConsecutiveFailures > 0).
func (q *Queries) Stats(ctx context.Context) (taglines.Stats, error) {
	var st taglines.Stats
	if err := q.r.QueryRow(ctx, statsSQL).Scan(&st.Sources, &st.Articles, &st.Tags, &st.FailingSources); err != nil {
		return taglines.Stats{}, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}

// TagRules lists the operators' tag rules by kind and name.
func (q *Queries) TagRules(ctx context.Context) ([]taglines.TagRule, error) {
	out, err := queryAll(ctx, q.r, func(row Row) (taglines.TagRule, error) {
		var r taglines.TagRule
		err := row.Scan(&r.Kind, &r.Name, &r.Target)
		return r, err
	}, tagRulesSQL)
	if err != nil {
		return nil, fmt.Errorf("tag rules: %w", err)
	}
	return out, nil
}

// SetTagRule stores r, replacing the rule of the same kind and name.
// Returns the error of r.Validate (ErrInvalid) if r does not validate.
func (q *Queries) SetTagRule(ctx context.Context, r taglines.TagRule) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if _, err := q.w.Exec(ctx, q.sql.SetTagRule, string(r.Kind), r.Name, r.Target, q.sql.Time(time.Now())); err != nil {
		return fmt.Errorf("set tag rule %s %q: %w", r.Kind, r.Name, q.translate(err))
	}
	return nil
}

// DeleteTagRule removes a tag rule, or returns ErrNotFound.
func (q *Queries) DeleteTagRule(ctx context.Context, kind taglines.TagRuleKind, name string) error {
	return q.exec(ctx, fmt.Sprintf("delete tag rule %s %q", kind, name), q.sql.DeleteTagRule, string(kind), name)
}

// Statements whose text both databases read alike.
const (
	statsSQL = `SELECT
		(SELECT count(*) FROM sources),
		(SELECT count(*) FROM articles),
		(SELECT count(*) FROM tags),
		(SELECT count(*) FROM sources WHERE consecutive_failures > 0)`
	tagRulesSQL      = `SELECT kind, name, target FROM tag_rules ORDER BY kind, name`
	searchSourcesSQL = `SELECT id, title, url FROM sources`
)
