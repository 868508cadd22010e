package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/taglines/taglines"
	"github.com/taglines/taglines/sqldb"
)

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
		slug, name, ok := sqldb.TagKey(t)
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
