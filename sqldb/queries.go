package sqldb

import (
	"context"
	"errors"
	"fmt"

	"github.com/taglines/taglines"
)

// Queries is the part of taglines.Store that both databases answer with
// the same logic: every method but the write transactions (AddArticles,
// UpdateArticles, SetGroups), the search index and its compiler, which
// stay in the database packages. A database package embeds a *Queries in
// its Store, so that these methods are its own.
//
// A Queries is safe for concurrent use when its Queriers are. Create one
// with New; the zero value is not usable.
type Queries struct {
	r, w      Querier
	sql       SQL
	translate func(error) error
}

// SQL is one dialect's text of the statements Queries runs, with the
// encoders of its arguments. Each statement's arguments are listed beside
// it, in order; a dialect that numbers its parameters may use one twice.
type SQL struct {
	Dialect
	// Strings encodes a list of strings for one placeholder, as
	// Dialect.IDs does IDs.
	Strings func([]string) any
	// Param is the placeholder of the n-th argument (from 1) of a
	// statement Queries composes.
	Param func(n int) string
	// Past and Future stand for the open bounds of a time window.
	Past, Future any

	// sources.go: (url, title, site_url, created_at, next_poll_at,
	// folder, rules, prefer_feed, sections), returning the ID.
	AddSource string
	// SourceByID and SourceByURL select SourceColumns and the article
	// count by (id) and (url); Sources selects them all, by ID.
	SourceByID, SourceByURL, Sources string
	// RemoveSource deletes (id).
	RemoveSource string
	// ClaimSources leases (owner, expiry, now, limit) and returns
	// SourceColumns.
	ClaimSources string
	// ReleaseClaims clears the leases of (owner); ReleaseClaim that of
	// (owner, id). ClaimOwners selects the distinct owners of the leases
	// that last beyond (now).
	ReleaseClaims, ReleaseClaim, ClaimOwners string
	// RecordFetch updates (at, failed, status, http status, error, etag,
	// last modified, title, site url, next poll, id, items per day).
	RecordFetch string
	// UpdateSource updates (title, site url, folder, rules, prefer feed, id).
	UpdateSource string
	// SourceState selects (source, key); SetSourceState upserts
	// (source, key, data, updated at).
	SourceState, SetSourceState string

	// articles.go: KnownURLs selects the URLs among (source, urls).
	KnownURLs string
	// Article selects ArticleColumns of (id); ScanArticles of (after ID,
	// source ID or 0, limit); ArticlesByID of (ids).
	Article, ScanArticles, ArticlesByID string
	// Tags selects (article ID, slug, name) of (article ids), by article
	// and position.
	Tags string
	// Versions and StorySources count, by group, the versions of (group
	// ids) and the sources of (cluster ids).
	Versions, StorySources string

	// tags.go: Tag selects (slug, name) by (slug).
	Tag string
	// TopTags selects (slug, name, count) from (since, limit); CoTags from
	// (slug, since, limit).
	TopTags, CoTags string
	// Tagged counts the tagged articles in (since, until); TagCounts
	// selects (slug, count) in (since, until, slugs).
	Tagged, TagCounts string
	// SectionCounts selects (section, count) from (since).
	SectionCounts string
	// SetTagRule upserts (kind, name, target, created at);
	// DeleteTagRule deletes (kind, name).
	SetTagRule, DeleteTagRule string

	// search.go: SearchTerms selects (article ID, title terms, body terms) of (ids).
	SearchTerms string
	// Rule renders what differs in the conditions of search rules.
	Rule RuleSQL
}

// New returns the Queries of one database: reads go to r, writes to w
// (the same Querier where the database has one pool), and translate maps
// the driver's errors to the taglines sentinels.
func New(r, w Querier, sql SQL, translate func(error) error) *Queries {
	return &Queries{r: r, w: w, sql: sql, translate: translate}
}

// exec runs a statement that must change one row: none is ErrNotFound.
func (q *Queries) exec(ctx context.Context, what string, stmt string, args ...any) error {
	n, err := q.w.Exec(ctx, stmt, args...)
	if err != nil {
		return fmt.Errorf("%s: %w", what, q.translate(err))
	}
	if n == 0 {
		return fmt.Errorf("%s: %w", what, taglines.ErrNotFound)
	}
	return nil
}

// isNoRows reports whether a Row's Scan selected nothing.
func isNoRows(err error) bool { return errors.Is(err, ErrNoRows) }

// queryAll runs a query on db and scans every row it selects.
func queryAll[T any](ctx context.Context, db Querier, scan func(Row) (T, error), stmt string, args ...any) ([]T, error) {
	rows, err := db.Query(ctx, stmt, args...)
	return Collect(rows, err, scan)
}

// each scans every row of a query into dest and calls fn after each, then
// closes the rows; err is the query's own error.
func each(rows Rows, err error, dest []any, fn func()) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		fn()
	}
	return rows.Err()
}
