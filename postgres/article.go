package postgres

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/taglines/taglines"
	"github.com/taglines/taglines/sqldb"
)

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
				if slug, name, ok := sqldb.TagKey(t); ok {
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
				slug, _, ok := sqldb.TagKey(t)
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
