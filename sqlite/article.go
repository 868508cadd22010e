package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/taglines/taglines"
)

// defaultLimit is the page size of Articles when the query gives none.
const defaultLimit = 50

// chunk bounds the number of values bound in one IN list.
const chunk = 500

// KnownURLs returns which of urls are already stored for the source; the
// map holds only those, with the value true.
func (s *Store) KnownURLs(ctx context.Context, sourceID int64, urls []string) (map[string]bool, error) {
	known := make(map[string]bool)
	for len(urls) > 0 {
		n := min(len(urls), chunk)
		args := make([]any, 0, n+1)
		args = append(args, sourceID)
		for _, u := range urls[:n] {
			args = append(args, u)
		}
		urls = urls[n:]
		rows, err := s.r.QueryContext(ctx,
			`SELECT url FROM articles WHERE source_id = ? AND url IN (`+placeholders(n)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("known urls of source %d: %w", sourceID, err)
		}
		for rows.Next() {
			var u string
			if err := rows.Scan(&u); err != nil {
				rows.Close()
				return nil, fmt.Errorf("known urls of source %d: %w", sourceID, err)
			}
			known[u] = true
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, fmt.Errorf("known urls of source %d: %w", sourceID, err)
		}
	}
	return known, nil
}

// tagKey returns the stored slug and name of t, or false if t has no usable
// name. The slug is always TagSlug of the given slug or, without one, of the
// name, so lookups by name and by slug agree.
func tagKey(t taglines.Tag) (slug, name string, ok bool) {
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

// AddArticles stores articles with their tags in one transaction and
// returns how many were new. An article whose (SourceID, URL) is already
// stored, or repeated within articles, is skipped, not updated. New ones get
// their ID set, FetchedAt set to now if zero and PublishedAt to FetchedAt if
// zero. A tag is stored once per slug, with the name it first came with;
// tags without a usable name are dropped. Returns ErrInvalid if an article
// lacks a SourceID or URL and ErrNotFound if its source does not exist; then
// nothing is stored.
func (s *Store) AddArticles(ctx context.Context, articles []*taglines.Article) (int, error) {
	for _, a := range articles {
		if a.SourceID <= 0 || a.URL == "" {
			return 0, fmt.Errorf("add articles: source %d, url %q: %w", a.SourceID, a.URL, taglines.ErrInvalid)
		}
	}
	if len(articles) == 0 {
		return 0, nil
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	type added struct {
		a                  *taglines.Article
		id                 int64
		fetched, published time.Time
	}
	var news []added
	docs := make([]indexDoc, len(articles))
	for i, a := range articles {
		docs[i] = newIndexDoc(a.Title, a.Text)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		insArticle, err := tx.PrepareContext(ctx, `
			INSERT INTO articles (source_id, url, guid, title, text, author, language,
				image_url, site_name, section, published_at, fetched_at, source_used, section_confidence)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (source_id, url) DO NOTHING
			RETURNING id`)
		if err != nil {
			return err
		}
		defer insArticle.Close()
		tagIDs := make(map[string]int64)
		for i, a := range articles {
			fetched, published := a.FetchedAt, a.PublishedAt
			if fetched.IsZero() {
				fetched = now
			}
			if published.IsZero() {
				published = fetched
			}
			var id int64
			err := insArticle.QueryRowContext(ctx, a.SourceID, a.URL, a.GUID, a.Title, a.Text, a.Author,
				a.Language, a.ImageURL, a.SiteName, a.Section, published.UnixMicro(), fetched.UnixMicro(), a.SourceUsed, a.SectionConfidence).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				continue // already stored
			}
			if err != nil {
				return fmt.Errorf("article %s: %w", a.URL, translate(err))
			}
			news = append(news, added{a, id, fetched.UTC().Truncate(time.Microsecond), published.UTC().Truncate(time.Microsecond)})
			if err := indexArticle(ctx, tx, id, docs[i], false); err != nil {
				return fmt.Errorf("article %s: %w", a.URL, err)
			}
			if err := linkTags(ctx, tx, id, a.Tags, published.UnixMicro(), tagIDs); err != nil {
				return fmt.Errorf("article %s: %w", a.URL, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("add articles: %w", err)
	}
	for _, n := range news {
		n.a.ID, n.a.FetchedAt, n.a.PublishedAt = n.id, n.fetched, n.published
	}
	return len(news), nil
}

// linkTags links an article to its tags, creating the tags it is the
// first to carry; tagIDs caches slugs' IDs within the transaction.
func linkTags(ctx context.Context, tx *sql.Tx, articleID int64, tags []taglines.Tag, published int64, tagIDs map[string]int64) error {
	for pos, t := range tags {
		slug, name, ok := tagKey(t)
		if !ok {
			continue
		}
		tagID, ok := tagIDs[slug]
		if !ok {
			var err error
			if tagID, err = upsertTag(ctx, tx, slug, name); err != nil {
				return fmt.Errorf("tag %s: %w", slug, err)
			}
			tagIDs[slug] = tagID
		}
		// OR IGNORE: the same tag twice on one article is one link.
		if _, err := tx.ExecContext(ctx,
			`INSERT OR IGNORE INTO article_tags (article_id, tag_id, position, published_at) VALUES (?, ?, ?, ?)`,
			articleID, tagID, pos, published); err != nil {
			return fmt.Errorf("tag %s: %w", slug, err)
		}
	}
	return nil
}

func upsertTag(ctx context.Context, tx *sql.Tx, slug, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM tags WHERE slug = ?`, slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		// The transaction holds the database's only write lock: nobody
		// can insert the slug in between.
		err = tx.QueryRowContext(ctx, `INSERT INTO tags (slug, name) VALUES (?, ?) RETURNING id`, slug, name).Scan(&id)
	}
	return id, err
}

const articleColumns = `a.id, a.source_id, s.title, s.url, a.url, a.guid, a.title, a.text, a.author,
	a.language, a.image_url, a.site_name, a.section, a.published_at, a.fetched_at, a.source_used, a.section_confidence, a.duplicate_of, a.cluster_id`

func scanArticle(row scanner) (*taglines.Article, error) {
	var (
		a                  taglines.Article
		srcTitle, srcURL   string
		published, fetched sql.NullInt64
		dupOf, cluster     sql.NullInt64
	)
	if err := row.Scan(&a.ID, &a.SourceID, &srcTitle, &srcURL, &a.URL, &a.GUID, &a.Title, &a.Text, &a.Author,
		&a.Language, &a.ImageURL, &a.SiteName, &a.Section, &published, &fetched, &a.SourceUsed, &a.SectionConfidence, &dupOf, &cluster); err != nil {
		return nil, err
	}
	a.DuplicateOf, a.Cluster = nullInt(dupOf), nullInt(cluster)
	a.SourceName = (&taglines.Source{Title: srcTitle, URL: srcURL}).Name()
	a.PublishedAt = timeOf(published)
	a.FetchedAt = timeOf(fetched)
	return &a, nil
}

// Article returns one article with its tags and SourceName, or ErrNotFound.
func (s *Store) Article(ctx context.Context, id int64) (*taglines.Article, error) {
	a, err := scanArticle(s.r.QueryRowContext(ctx,
		`SELECT `+articleColumns+` FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("article %d: %w", id, translate(err))
	}
	if err := s.loadTags(ctx, []*taglines.Article{a}); err != nil {
		return nil, fmt.Errorf("article %d: %w", id, err)
	}
	return a, nil
}

// Articles lists articles newest first (PublishedAt, then ID, both
// descending), with their tags in the order they were stored and their
// SourceName. q.Tag matches a tag's slug or name case-insensitively; an
// unknown tag lists nothing. q.Limit <= 0 means 50.
func (s *Store) Articles(ctx context.Context, q taglines.ArticleQuery) ([]*taglines.Article, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	var (
		query strings.Builder
		args  []any
	)
	query.WriteString(`SELECT ` + articleColumns)
	// Both orders are the reverse of an index, so a page is one range scan.
	by, key := "a.published_at", "a.id"
	if q.Tag != "" {
		by, key = "t.published_at", "t.article_id"
		query.WriteString(` FROM article_tags t
			JOIN articles a ON a.id = t.article_id
			JOIN sources s ON s.id = a.source_id
			WHERE t.tag_id = (SELECT id FROM tags WHERE slug = ?)`)
		args = append(args, taglines.TagSlug(q.Tag))
	} else {
		query.WriteString(` FROM articles a JOIN sources s ON s.id = a.source_id WHERE 1`)
	}
	if q.Collapse {
		query.WriteString(` AND NOT a.superseded`)
	}
	if q.Cluster != 0 {
		query.WriteString(` AND a.cluster_id = ?`)
		args = append(args, q.Cluster)
	}
	if q.Section != "" {
		query.WriteString(` AND a.section = ?`)
		args = append(args, q.Section)
	}
	if q.SourceID != 0 {
		query.WriteString(` AND a.source_id = ?`)
		args = append(args, q.SourceID)
	}
	if q.Before != nil {
		fmt.Fprintf(&query, ` AND (%s, %s) < (?, ?)`, by, key)
		args = append(args, q.Before.PublishedAt.UnixMicro(), cursorID(q.Before))
	}
	fmt.Fprintf(&query, ` ORDER BY %s DESC, %s DESC LIMIT ?`, by, key)
	args = append(args, limit)

	out, err := s.queryArticles(ctx, query.String(), args...)
	if err != nil {
		return nil, fmt.Errorf("articles: %w", err)
	}
	if err := s.loadGroupCounts(ctx, out); err != nil {
		return nil, fmt.Errorf("articles: %w", err)
	}
	return out, nil
}

// queryArticles runs a query selecting articleColumns and loads the tags
// of what it found.
func (s *Store) queryArticles(ctx context.Context, query string, args ...any) ([]*taglines.Article, error) {
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*taglines.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.loadTags(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// cursorID is the ID to compare with when c's time is cut to the
// microsecond, as stored: if that cut anything, every article stored at the
// cut time is older than c, whatever its ID.
func cursorID(c *taglines.Cursor) int64 {
	if !c.PublishedAt.Equal(c.PublishedAt.Truncate(time.Microsecond)) {
		return math.MaxInt64
	}
	return c.ID
}

// loadTags fills the Tags of articles.
func (s *Store) loadTags(ctx context.Context, articles []*taglines.Article) error {
	byID := make(map[int64]*taglines.Article, len(articles))
	for _, a := range articles {
		byID[a.ID] = a
	}
	for len(articles) > 0 {
		n := min(len(articles), chunk)
		args := make([]any, n)
		for i, a := range articles[:n] {
			args[i] = a.ID
		}
		articles = articles[n:]
		rows, err := s.r.QueryContext(ctx, `
			SELECT at.article_id, t.slug, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
			WHERE at.article_id IN (`+placeholders(n)+`)
			ORDER BY at.article_id, at.position`, args...)
		if err != nil {
			return fmt.Errorf("tags: %w", err)
		}
		for rows.Next() {
			var (
				id  int64
				tag taglines.Tag
			)
			if err := rows.Scan(&id, &tag.Slug, &tag.Name); err != nil {
				rows.Close()
				return fmt.Errorf("tags: %w", err)
			}
			a := byID[id]
			a.Tags = append(a.Tags, tag)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return fmt.Errorf("tags: %w", err)
		}
	}
	return nil
}

// Tag resolves a tag slug or name, case-insensitively, or returns
// ErrNotFound.
func (s *Store) Tag(ctx context.Context, nameOrSlug string) (taglines.Tag, error) {
	var t taglines.Tag
	err := s.r.QueryRowContext(ctx, `SELECT slug, name FROM tags WHERE slug = ?`, taglines.TagSlug(nameOrSlug)).
		Scan(&t.Slug, &t.Name)
	if err != nil {
		return taglines.Tag{}, fmt.Errorf("tag %q: %w", nameOrSlug, translate(err))
	}
	return t, nil
}

// TopTags returns the tags carried by the most articles published at or
// after since (all articles if since is zero), most frequent first, then by
// slug. limit <= 0 means 50.
func (s *Store) TopTags(ctx context.Context, since time.Time, limit int) ([]taglines.TagCount, error) {
	if limit <= 0 {
		limit = defaultLimit
	}
	from := int64(math.MinInt64)
	if !since.IsZero() {
		from = since.UnixMicro()
	}
	rows, err := s.r.QueryContext(ctx, `
		SELECT t.slug, t.name, c.n FROM (
			SELECT tag_id, COUNT(*) AS n FROM article_tags INDEXED BY article_tags_recent
			WHERE published_at >= ? GROUP BY tag_id
		) c JOIN tags t ON t.id = c.tag_id
		ORDER BY c.n DESC, t.slug
		LIMIT ?`, from, limit)
	if err != nil {
		return nil, fmt.Errorf("top tags: %w", err)
	}
	defer rows.Close()
	var out []taglines.TagCount
	for rows.Next() {
		var tc taglines.TagCount
		if err := rows.Scan(&tc.Slug, &tc.Name, &tc.Count); err != nil {
			return nil, fmt.Errorf("top tags: %w", err)
		}
		out = append(out, tc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("top tags: %w", err)
	}
	return out, nil
}

// Stats counts sources, articles, tags (every stored tag, carried or not)
// and failing sources (ConsecutiveFailures > 0).
func (s *Store) Stats(ctx context.Context) (taglines.Stats, error) {
	var st taglines.Stats
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM sources),
		(SELECT COUNT(*) FROM articles),
		(SELECT COUNT(*) FROM tags),
		(SELECT COUNT(*) FROM sources WHERE consecutive_failures > 0)`).
		Scan(&st.Sources, &st.Articles, &st.Tags, &st.FailingSources)
	if err != nil {
		return taglines.Stats{}, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}

// SectionCounts counts the sections of the entries published at or after
// since (one per version group), largest first.
func (s *Store) SectionCounts(ctx context.Context, since time.Time) ([]taglines.SectionCount, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT section, COUNT(*) FROM articles
		WHERE published_at >= ? AND NOT superseded AND section <> ''
		GROUP BY section ORDER BY COUNT(*) DESC, section`, since.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("section counts: %w", err)
	}
	defer rows.Close()
	var out []taglines.SectionCount
	for rows.Next() {
		var c taglines.SectionCount
		if err := rows.Scan(&c.Name, &c.Count); err != nil {
			return nil, fmt.Errorf("section counts: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
