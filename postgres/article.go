package postgres

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/taglines/taglines"
)

// defaultLimit is the page size of Articles and TopTags when the caller
// gives none.
const defaultLimit = 50

// KnownURLs returns which of urls are already stored for the source; the
// map holds only those, with the value true.
func (s *Store) KnownURLs(ctx context.Context, sourceID int64, urls []string) (map[string]bool, error) {
	known := make(map[string]bool)
	if len(urls) == 0 {
		return known, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT url FROM articles WHERE source_id = $1 AND url = ANY($2)`, sourceID, urls)
	if err != nil {
		return nil, fmt.Errorf("known urls of source %d: %w", sourceID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, fmt.Errorf("known urls of source %d: %w", sourceID, err)
		}
		known[u] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("known urls of source %d: %w", sourceID, err)
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

type articleKey struct {
	source int64
	url    string
}

// AddArticles stores articles with their tags in one transaction and
// returns how many were new. An article whose (SourceID, URL) is already
// stored, or repeated within articles, is skipped, not updated. New ones get
// their ID set, FetchedAt set to now if zero and PublishedAt to FetchedAt if
// zero. A tag is stored once per slug, with the name it first came with;
// tags without a usable name are dropped. Returns ErrInvalid if an article
// lacks a SourceID or URL or holds text PostgreSQL cannot store (NUL bytes,
// invalid UTF-8), and ErrNotFound if its source does not exist; then
// nothing is stored.
//
// The batch takes three statements whatever its size; rows are written in
// key order so that concurrent batches cannot deadlock.
func (s *Store) AddArticles(ctx context.Context, articles []*taglines.Article) (int, error) {
	for _, a := range articles {
		if a.SourceID <= 0 || a.URL == "" {
			return 0, fmt.Errorf("add articles: source %d, url %q: %w", a.SourceID, a.URL, taglines.ErrInvalid)
		}
	}
	// The first of each key, in key order.
	uniq := make([]*taglines.Article, 0, len(articles))
	seen := make(map[articleKey]bool, len(articles))
	for _, a := range articles {
		if k := (articleKey{a.SourceID, a.URL}); !seen[k] {
			seen[k] = true
			uniq = append(uniq, a)
		}
	}
	slices.SortFunc(uniq, func(a, b *taglines.Article) int {
		return cmp.Or(cmp.Compare(a.SourceID, b.SourceID), strings.Compare(a.URL, b.URL))
	})
	if len(uniq) == 0 {
		return 0, nil
	}

	now := micro(time.Now())
	n := len(uniq)
	var (
		sourceIDs                                                = make([]int64, n)
		urls, guids, titles, texts, authors, langs, images, site = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		sections, used                                           = make([]string, n), make([]string, n)
		confidence                                               = make([]float64, n)
		published, fetched                                       = make([]time.Time, n), make([]time.Time, n)
	)
	for i, a := range uniq {
		f := now
		if !a.FetchedAt.IsZero() {
			f = micro(a.FetchedAt)
		}
		p := f
		if !a.PublishedAt.IsZero() {
			p = micro(a.PublishedAt)
		}
		sourceIDs[i], urls[i], guids[i], titles[i], texts[i] = a.SourceID, a.URL, a.GUID, a.Title, a.Text
		authors[i], langs[i], images[i], site[i], sections[i] = a.Author, a.Language, a.ImageURL, a.SiteName, a.Section
		used[i], confidence[i] = a.SourceUsed, a.SectionConfidence
		published[i], fetched[i] = p, f
	}

	docs := newSearchDocs(titles, texts)
	newIDs := make(map[articleKey]int64, n)
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			INSERT INTO articles (source_id, url, guid, title, text, author, language,
				image_url, site_name, section, published_at, fetched_at, source_used, section_confidence)
			SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
				$7::text[], $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::text[], $14::double precision[])
			ON CONFLICT (source_id, url) DO NOTHING
			RETURNING id, source_id, url`,
			sourceIDs, urls, guids, titles, texts, authors, langs, images, site, sections, published, fetched, used, confidence)
		if err != nil {
			return err
		}
		for rows.Next() {
			var (
				id int64
				k  articleKey
			)
			if err := rows.Scan(&id, &k.source, &k.url); err != nil {
				rows.Close()
				return err
			}
			newIDs[k] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var ids []int64
		var newDocs []searchDoc
		for i, a := range uniq {
			if id, ok := newIDs[articleKey{a.SourceID, a.URL}]; ok {
				ids, newDocs = append(ids, id), append(newDocs, docs[i])
			}
		}
		if err := indexArticles(ctx, tx, ids, newDocs); err != nil {
			return err
		}

		// Tags of the new articles: each slug once, with its first name.
		names := make(map[string]string)
		var slugs []string
		for _, a := range uniq {
			if _, ok := newIDs[articleKey{a.SourceID, a.URL}]; !ok {
				continue
			}
			for _, t := range a.Tags {
				if slug, name, ok := tagKey(t); ok {
					if _, dup := names[slug]; !dup {
						names[slug] = name
						slugs = append(slugs, slug)
					}
				}
			}
		}
		if len(slugs) == 0 {
			return nil
		}
		slices.Sort(slugs)
		tagNames := make([]string, len(slugs))
		for i, slug := range slugs {
			tagNames[i] = names[slug]
		}
		// Two statements, not one with a CTE: the SELECT needs a snapshot
		// taken after the INSERT, to see the tags that it found inserted
		// by concurrent transactions that committed meanwhile.
		if _, err := tx.Exec(ctx, `
			INSERT INTO tags (slug, name)
			SELECT * FROM unnest($1::text[], $2::text[])
			ON CONFLICT (slug) DO NOTHING`,
			slugs, tagNames); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT id, slug FROM tags WHERE slug = ANY($1)`, slugs)
		if err != nil {
			return err
		}
		tagIDs := make(map[string]int64, len(slugs))
		for rows.Next() {
			var (
				id   int64
				slug string
			)
			if err := rows.Scan(&id, &slug); err != nil {
				rows.Close()
				return err
			}
			tagIDs[slug] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		var linkArticles, linkTags []int64
		var linkPos []int32
		var linkTimes []time.Time
		for i, a := range uniq {
			id, ok := newIDs[articleKey{a.SourceID, a.URL}]
			if !ok {
				continue
			}
			linked := make(map[int64]bool, len(a.Tags))
			for pos, t := range a.Tags {
				slug, _, ok := tagKey(t)
				if !ok || linked[tagIDs[slug]] {
					continue
				}
				linked[tagIDs[slug]] = true
				linkArticles = append(linkArticles, id)
				linkTags = append(linkTags, tagIDs[slug])
				linkPos = append(linkPos, int32(pos))
				linkTimes = append(linkTimes, published[i])
			}
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO article_tags (article_id, tag_id, position, published_at)
			SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::integer[], $4::timestamptz[])`,
			linkArticles, linkTags, linkPos, linkTimes)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("add articles: %w", translate(err))
	}
	for i, a := range uniq {
		if id, ok := newIDs[articleKey{a.SourceID, a.URL}]; ok {
			a.ID, a.FetchedAt, a.PublishedAt = id, fetched[i], published[i]
		}
	}
	return len(newIDs), nil
}

const articleColumns = `a.id, a.source_id, s.title, s.url, a.url, a.guid, a.title, a.text, a.author,
	a.language, a.image_url, a.site_name, a.section, a.published_at, a.fetched_at, a.source_used, a.section_confidence, a.duplicate_of, a.cluster_id`

func scanArticle(row pgx.Row) (*taglines.Article, error) {
	var (
		a                  taglines.Article
		srcTitle, srcURL   string
		published, fetched time.Time
	)
	var dupOf, cluster *int64
	if err := row.Scan(&a.ID, &a.SourceID, &srcTitle, &srcURL, &a.URL, &a.GUID, &a.Title, &a.Text, &a.Author,
		&a.Language, &a.ImageURL, &a.SiteName, &a.Section, &published, &fetched, &a.SourceUsed, &a.SectionConfidence, &dupOf, &cluster); err != nil {
		return nil, err
	}
	a.DuplicateOf, a.Cluster = nullInt(dupOf), nullInt(cluster)
	a.SourceName = (&taglines.Source{Title: srcTitle, URL: srcURL}).Name()
	a.PublishedAt = published.UTC()
	a.FetchedAt = fetched.UTC()
	return &a, nil
}

// Article returns one article with its tags and SourceName, or ErrNotFound.
func (s *Store) Article(ctx context.Context, id int64) (*taglines.Article, error) {
	a, err := scanArticle(s.pool.QueryRow(ctx,
		`SELECT `+articleColumns+` FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id = $1`, id))
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
		args = append(args, taglines.TagSlug(q.Tag))
		query.WriteString(` FROM article_tags t
			JOIN articles a ON a.id = t.article_id
			JOIN sources s ON s.id = a.source_id
			WHERE t.tag_id = (SELECT id FROM tags WHERE slug = $1)`)
	} else {
		query.WriteString(` FROM articles a JOIN sources s ON s.id = a.source_id WHERE true`)
	}
	if q.Collapse {
		query.WriteString(` AND NOT a.superseded`)
	}
	if q.Cluster != 0 {
		args = append(args, q.Cluster)
		fmt.Fprintf(&query, ` AND a.cluster_id = $%d`, len(args))
	}
	if q.Section != "" {
		args = append(args, q.Section)
		fmt.Fprintf(&query, ` AND a.section = $%d`, len(args))
	}
	if q.SourceID != 0 {
		args = append(args, q.SourceID)
		fmt.Fprintf(&query, ` AND a.source_id = $%d`, len(args))
	}
	if q.Before != nil {
		args = append(args, micro(q.Before.PublishedAt), cursorID(q.Before))
		fmt.Fprintf(&query, ` AND (%s, %s) < ($%d, $%d)`, by, key, len(args)-1, len(args))
	}
	args = append(args, limit)
	fmt.Fprintf(&query, ` ORDER BY %s DESC, %s DESC LIMIT $%d`, by, key, len(args))

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
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []*taglines.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, a)
	}
	rows.Close()
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
	if len(articles) == 0 {
		return nil
	}
	byID := make(map[int64]*taglines.Article, len(articles))
	ids := make([]int64, len(articles))
	for i, a := range articles {
		byID[a.ID] = a
		ids[i] = a.ID
	}
	rows, err := s.pool.Query(ctx, `
		SELECT at.article_id, t.slug, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
		WHERE at.article_id = ANY($1)
		ORDER BY at.article_id, at.position`, ids)
	if err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id  int64
			tag taglines.Tag
		)
		if err := rows.Scan(&id, &tag.Slug, &tag.Name); err != nil {
			return fmt.Errorf("tags: %w", err)
		}
		a := byID[id]
		a.Tags = append(a.Tags, tag)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("tags: %w", err)
	}
	return nil
}

// Tag resolves a tag slug or name, case-insensitively, or returns
// ErrNotFound.
func (s *Store) Tag(ctx context.Context, nameOrSlug string) (taglines.Tag, error) {
	var t taglines.Tag
	err := s.pool.QueryRow(ctx, `SELECT slug, name FROM tags WHERE slug = $1`, taglines.TagSlug(nameOrSlug)).
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
	where, args := "", []any{limit}
	if !since.IsZero() {
		where, args = "WHERE published_at >= $2", append(args, micro(since))
	}
	rows, err := s.pool.Query(ctx, `
		SELECT t.slug, t.name, c.n FROM (
			SELECT tag_id, count(*) AS n FROM article_tags `+where+` GROUP BY tag_id
		) c JOIN tags t ON t.id = c.tag_id
		ORDER BY c.n DESC, t.slug
		LIMIT $1`, args...)
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
	err := s.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM sources),
		(SELECT count(*) FROM articles),
		(SELECT count(*) FROM tags),
		(SELECT count(*) FROM sources WHERE consecutive_failures > 0)`).
		Scan(&st.Sources, &st.Articles, &st.Tags, &st.FailingSources)
	if err != nil {
		return taglines.Stats{}, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}

// SectionCounts counts the sections of the entries published at or after
// since (one per version group), largest first.
func (s *Store) SectionCounts(ctx context.Context, since time.Time) ([]taglines.SectionCount, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT section, COUNT(*) FROM articles
		WHERE published_at >= $1 AND NOT superseded AND section <> ''
		GROUP BY section ORDER BY COUNT(*) DESC, section`, micro(since))
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
