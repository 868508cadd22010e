package sqldb

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/taglines/taglines"
)

// DefaultLimit is the page size of the listings when the caller gives none.
const DefaultLimit = 50

// ArticleColumns are the columns scanArticle reads, of the articles
// aliased a joined with their sources aliased s.
const ArticleColumns = `a.id, a.source_id, s.title, s.url, a.url, a.guid, a.title, a.text, a.author,
	a.language, a.image_url, a.site_name, a.section, a.published_at, a.fetched_at, a.source_used, a.section_confidence, a.duplicate_of, a.cluster_id`

func scanArticle(row Row) (*taglines.Article, error) {
	var (
		a                  taglines.Article
		srcTitle, srcURL   string
		published, fetched Time
		dupOf, cluster     *int64
	)
	if err := row.Scan(&a.ID, &a.SourceID, &srcTitle, &srcURL, &a.URL, &a.GUID, &a.Title, &a.Text, &a.Author,
		&a.Language, &a.ImageURL, &a.SiteName, &a.Section, &published, &fetched, &a.SourceUsed, &a.SectionConfidence, &dupOf, &cluster); err != nil {
		return nil, err
	}
	a.DuplicateOf, a.Cluster = deref(dupOf), deref(cluster)
	a.SourceName = (&taglines.Source{Title: srcTitle, URL: srcURL}).Name()
	a.PublishedAt, a.FetchedAt = published.Time, fetched.Time
	return &a, nil
}

// deref is *n, or 0 for NULL.
func deref(n *int64) int64 {
	if n == nil {
		return 0
	}
	return *n
}

// TagKey returns the stored slug and name of t, or false if t has no usable
// name. The slug is always TagSlug of the given slug or, without one, of the
// name, so lookups by name and by slug agree.
func TagKey(t taglines.Tag) (slug, name string, ok bool) {
	slug = taglines.TagSlug(t.Slug)
	name = strings.TrimLeft(strings.TrimSpace(t.Name), "#")
	if slug == "" {
		slug = taglines.TagSlug(name)
	}
	if name == "" {
		name = slug
	}
	return slug, name, slug != ""
}

// CursorID is the ID to compare with when c's time is cut to the
// microsecond, as stored: if that cut anything, every article stored at the
// cut time is older than c, whatever its ID.
func CursorID(c *taglines.Cursor) int64 {
	if !c.PublishedAt.Equal(c.PublishedAt.Truncate(time.Microsecond)) {
		return math.MaxInt64
	}
	return c.ID
}

// KnownURLs returns which of urls are already stored for the source; the
// map holds only those, with the value true.
func (q *Queries) KnownURLs(ctx context.Context, sourceID int64, urls []string) (map[string]bool, error) {
	known := make(map[string]bool)
	if len(urls) == 0 {
		return known, nil
	}
	found, err := queryAll(ctx, q.r, scanOne[string], q.sql.KnownURLs, sourceID, q.sql.Strings(urls))
	if err != nil {
		return nil, fmt.Errorf("known urls of source %d: %w", sourceID, err)
	}
	for _, u := range found {
		known[u] = true
	}
	return known, nil
}

// scanOne reads a row of one column.
func scanOne[T any](row Row) (T, error) {
	var v T
	err := row.Scan(&v)
	return v, err
}

// Article returns one article with its tags and SourceName, or ErrNotFound.
func (q *Queries) Article(ctx context.Context, id int64) (*taglines.Article, error) {
	a, err := scanArticle(q.r.QueryRow(ctx, q.sql.Article, id))
	if err != nil {
		return nil, fmt.Errorf("article %d: %w", id, q.translate(err))
	}
	if err := q.loadTags(ctx, []*taglines.Article{a}); err != nil {
		return nil, fmt.Errorf("article %d: %w", id, err)
	}
	return a, nil
}

// Articles lists articles newest first (PublishedAt, then ID, both
// descending), with their tags in the order they were stored, their
// SourceName, Versions and StorySources. q.Tag matches a tag's slug or
// name case-insensitively; an unknown tag lists nothing. q.Limit <= 0
// means DefaultLimit.
func (q *Queries) Articles(ctx context.Context, aq taglines.ArticleQuery) ([]*taglines.Article, error) {
	limit := aq.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	var (
		b    strings.Builder
		args []any
	)
	arg := func(v any) string {
		args = append(args, v)
		return q.sql.Param(len(args))
	}
	b.WriteString(`SELECT ` + ArticleColumns)
	// Both orders are the reverse of an index, so a page is one range scan.
	by, key := "a.published_at", "a.id"
	if aq.Tag != "" {
		by, key = "t.published_at", "t.article_id"
		b.WriteString(` FROM article_tags t
			JOIN articles a ON a.id = t.article_id
			JOIN sources s ON s.id = a.source_id
			WHERE t.tag_id = (SELECT id FROM tags WHERE slug = ` + arg(taglines.TagSlug(aq.Tag)) + `)`)
	} else {
		b.WriteString(` FROM articles a JOIN sources s ON s.id = a.source_id WHERE TRUE`)
	}
	if aq.Collapse {
		b.WriteString(` AND NOT a.superseded`)
	}
	if aq.Cluster != 0 {
		b.WriteString(` AND a.cluster_id = ` + arg(aq.Cluster))
	}
	if aq.Section != "" {
		b.WriteString(` AND a.section = ` + arg(aq.Section))
	}
	if aq.SourceID != 0 {
		b.WriteString(` AND a.source_id = ` + arg(aq.SourceID))
	}
	if aq.Before != nil {
		fmt.Fprintf(&b, ` AND (%s, %s) < (%s, %s)`, by, key, arg(q.sql.Time(aq.Before.PublishedAt)), arg(CursorID(aq.Before)))
	}
	fmt.Fprintf(&b, ` ORDER BY %s DESC, %s DESC LIMIT %s`, by, key, arg(limit))

	out, err := q.queryArticles(ctx, b.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("articles: %w", err)
	}
	if err := q.loadGroupCounts(ctx, out); err != nil {
		return nil, fmt.Errorf("articles: %w", err)
	}
	return out, nil
}

// ScanArticles returns up to limit articles with an ID above afterID, by
// ascending ID, with their tags; sourceID, if not 0, keeps one source's.
// limit <= 0 means DefaultLimit.
func (q *Queries) ScanArticles(ctx context.Context, afterID int64, limit int, sourceID int64) ([]*taglines.Article, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	out, err := q.queryArticles(ctx, q.sql.ScanArticles, afterID, sourceID, limit)
	if err != nil {
		return nil, fmt.Errorf("scan articles: %w", err)
	}
	return out, nil
}

// ArticlesByID returns the articles of ids that exist, in the order of
// ids, with their tags, SourceName, Versions and StorySources. It
// implements query.Backend.
func (q *Queries) ArticlesByID(ctx context.Context, ids []int64) ([]*taglines.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	found, err := q.queryArticles(ctx, q.sql.ArticlesByID, q.sql.IDs(ids))
	if err != nil {
		return nil, fmt.Errorf("articles by id: %w", err)
	}
	if err := q.loadGroupCounts(ctx, found); err != nil {
		return nil, fmt.Errorf("articles by id: %w", err)
	}
	byID := make(map[int64]*taglines.Article, len(found))
	for _, a := range found {
		byID[a.ID] = a
	}
	out := make([]*taglines.Article, 0, len(found))
	for _, id := range ids {
		if a := byID[id]; a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// queryArticles runs a query selecting ArticleColumns and loads the tags
// of what it found.
func (q *Queries) queryArticles(ctx context.Context, stmt string, args ...any) ([]*taglines.Article, error) {
	out, err := queryAll(ctx, q.r, scanArticle, stmt, args...)
	if err != nil {
		return nil, err
	}
	if err := q.loadTags(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// loadTags fills the Tags of articles.
func (q *Queries) loadTags(ctx context.Context, articles []*taglines.Article) error {
	if len(articles) == 0 {
		return nil
	}
	byID := make(map[int64]*taglines.Article, len(articles))
	ids := make([]int64, len(articles))
	for i, a := range articles {
		byID[a.ID] = a
		ids[i] = a.ID
	}
	var (
		id  int64
		tag taglines.Tag
	)
	rows, err := q.r.Query(ctx, q.sql.Tags, q.sql.IDs(ids))
	if err := each(rows, err, []any{&id, &tag.Slug, &tag.Name}, func() {
		a := byID[id]
		a.Tags = append(a.Tags, tag)
	}); err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	return nil
}

// loadGroupCounts fills Versions and StorySources of a page of articles
// with two grouped look-ups on the partial indexes.
func (q *Queries) loadGroupCounts(ctx context.Context, articles []*taglines.Article) error {
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
	versions, err := q.counts(ctx, q.sql.Versions, ids)
	if err != nil {
		return err
	}
	sources, err := q.counts(ctx, q.sql.StorySources, clusters)
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

// counts runs a query selecting (key, count) of keys.
func (q *Queries) counts(ctx context.Context, stmt string, keys []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(keys) == 0 {
		return out, nil
	}
	var k int64
	var n int
	rows, err := q.r.Query(ctx, stmt, q.sql.IDs(keys))
	if err := each(rows, err, []any{&k, &n}, func() { out[k] = n }); err != nil {
		return nil, err
	}
	return out, nil
}
