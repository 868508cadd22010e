package sqldb

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/taglines/taglines"
)

// SourceColumns are the columns scanSource reads, of the sources aliased s.
const SourceColumns = `s.id, s.url, s.title, s.site_url, s.created_at, s.etag, s.last_modified,
	s.last_attempt_at, s.last_success_at, s.status, s.http_status, s.last_error,
	s.consecutive_failures, s.next_poll_at, s.items_per_day, s.folder, s.rules, s.prefer_feed,
	s.refused_items, s.warning, s.sections`

// scanSource reads SourceColumns, then extra destinations.
func scanSource(row Row, extra ...any) (*taglines.Source, error) {
	var (
		src                             taglines.Source
		created, attempt, success, next Time
		status                          string
	)
	dest := []any{&src.ID, &src.URL, &src.Title, &src.SiteURL, &created, &src.ETag, &src.LastModified,
		&attempt, &success, &status, &src.HTTPStatus, &src.LastError,
		&src.ConsecutiveFailures, &next, &src.ItemsPerDay, &src.Folder, &src.Rules, &src.PreferFeed,
		&src.RefusedItems, &src.Warning, &src.Sections}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	src.CreatedAt, src.LastAttemptAt, src.LastSuccessAt, src.NextPollAt = created.Time, attempt.Time, success.Time, next.Time
	src.Status = taglines.FetchStatus(status)
	return &src, nil
}

// scanCountedSource reads SourceColumns and the article count.
func scanCountedSource(row Row) (*taglines.Source, error) {
	var n int
	src, err := scanSource(row, &n)
	if err != nil {
		return nil, err
	}
	src.ArticleCount = n
	return src, nil
}

// AddSource stores a new source with its URL, Title, SiteURL and operator
// settings, due at src.NextPollAt or, if that is zero, at once (the Unix
// epoch, so that a poller whose clock runs behind the wall clock sees it
// due too), and sets its ID, CreatedAt and NextPollAt; the health fields
// of src are ignored. Returns ErrInvalid if the URL is empty and
// ErrConflict if a source with the same URL exists.
func (q *Queries) AddSource(ctx context.Context, src *taglines.Source) error {
	if src.URL == "" {
		return fmt.Errorf("add source: empty URL: %w", taglines.ErrInvalid)
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	next := time.Unix(0, 0).UTC()
	if !src.NextPollAt.IsZero() {
		next = src.NextPollAt.UTC().Truncate(time.Microsecond)
	}
	var id int64
	err := q.w.QueryRow(ctx, q.sql.AddSource, src.URL, src.Title, src.SiteURL, q.sql.Time(now), q.sql.Time(next),
		src.Folder, src.Rules, src.PreferFeed, src.Sections).Scan(&id)
	if err != nil {
		return fmt.Errorf("add source %s: %w", src.URL, q.translate(err))
	}
	src.ID, src.CreatedAt, src.NextPollAt = id, now, next
	return nil
}

// Source returns the source with the given ID and its ArticleCount, or
// ErrNotFound.
func (q *Queries) Source(ctx context.Context, id int64) (*taglines.Source, error) {
	src, err := scanCountedSource(q.r.QueryRow(ctx, q.sql.SourceByID, id))
	if err != nil {
		return nil, fmt.Errorf("source %d: %w", id, q.translate(err))
	}
	return src, nil
}

// SourceByURL returns the source with the given feed URL and its
// ArticleCount, or ErrNotFound.
func (q *Queries) SourceByURL(ctx context.Context, url string) (*taglines.Source, error) {
	src, err := scanCountedSource(q.r.QueryRow(ctx, q.sql.SourceByURL, url))
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", url, q.translate(err))
	}
	return src, nil
}

// Sources lists every source by ID, with its health and ArticleCount.
func (q *Queries) Sources(ctx context.Context) ([]*taglines.Source, error) {
	out, err := queryAll(ctx, q.r, scanCountedSource, q.sql.Sources)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	return out, nil
}

// RemoveSource deletes a source with its articles and their tag links, or
// returns ErrNotFound. Tags stay, even those no article carries any more.
func (q *Queries) RemoveSource(ctx context.Context, id int64) error {
	return q.exec(ctx, fmt.Sprintf("remove source %d", id), q.sql.RemoveSource, id)
}

// ClaimDueSources leases up to limit sources whose NextPollAt is at or
// before now and whose lease, if any, ended at or before now, to owner until
// now+lease, and returns them ordered by NextPollAt, then ID. The returned
// sources have no ArticleCount. Returns ErrInvalid if owner is empty or
// lease is not positive; a limit <= 0 claims nothing.
func (q *Queries) ClaimDueSources(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]*taglines.Source, error) {
	if owner == "" || lease <= 0 {
		return nil, fmt.Errorf("claim due sources: owner %q, lease %v: %w", owner, lease, taglines.ErrInvalid)
	}
	if limit <= 0 {
		return nil, nil
	}
	out, err := queryAll(ctx, q.w, func(row Row) (*taglines.Source, error) { return scanSource(row) },
		q.sql.ClaimSources, owner, q.sql.Time(now.Add(lease)), q.sql.Time(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim due sources: %w", err)
	}
	// RETURNING has no order of its own.
	slices.SortFunc(out, func(a, b *taglines.Source) int {
		return cmp.Or(a.NextPollAt.Compare(b.NextPollAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// ReleaseClaims ends the leases owner holds on the sources ids, or on
// every source if ids is empty, so that they can be claimed again at once
// (their NextPollAt is kept), and returns how many it ended.
func (q *Queries) ReleaseClaims(ctx context.Context, owner string, ids ...int64) (int64, error) {
	if len(ids) == 0 {
		n, err := q.w.Exec(ctx, q.sql.ReleaseClaims, owner)
		if err != nil {
			return 0, fmt.Errorf("release claims of %q: %w", owner, q.translate(err))
		}
		return n, nil
	}
	var total int64
	for _, id := range ids {
		n, err := q.w.Exec(ctx, q.sql.ReleaseClaim, owner, id)
		if err != nil {
			return total, fmt.Errorf("release claim of %q on source %d: %w", owner, id, q.translate(err))
		}
		total += n
	}
	return total, nil
}

// ClaimOwners returns the owners of the leases that last beyond now.
func (q *Queries) ClaimOwners(ctx context.Context, now time.Time) ([]string, error) {
	out, err := queryAll(ctx, q.r, func(row Row) (string, error) {
		var s string
		return s, row.Scan(&s)
	}, q.sql.ClaimOwners, q.sql.Time(now))
	if err != nil {
		return nil, fmt.Errorf("claim owners: %w", err)
	}
	return out, nil
}

// RecordFetch writes the outcome of a poll to the source's health,
// schedules its next poll at r.NextPollAt (at once if that is zero) and
// releases its lease, in one statement. FetchOK and FetchNotModified reset
// ConsecutiveFailures, clear LastError and set LastSuccessAt; FetchFailed
// increments ConsecutiveFailures and stores r.Err. Empty ETag,
// LastModified, Title and SiteURL keep the stored values. A zero r.At means
// now. Returns ErrInvalid for any other Status and ErrNotFound if the
// source is gone.
func (q *Queries) RecordFetch(ctx context.Context, sourceID int64, r taglines.FetchResult) error {
	var failed bool
	switch r.Status {
	case taglines.FetchOK, taglines.FetchNotModified:
	case taglines.FetchFailed:
		failed = true
	default:
		return fmt.Errorf("record fetch of source %d: status %q: %w", sourceID, r.Status, taglines.ErrInvalid)
	}
	if r.At.IsZero() {
		r.At = time.Now()
	}
	if r.NextPollAt.IsZero() {
		r.NextPollAt = r.At
	}
	// Only a feed read anew says which items it refuses.
	refused := -1
	if r.Status == taglines.FetchOK {
		refused = max(r.RefusedItems, 0)
	}
	return q.exec(ctx, fmt.Sprintf("record fetch of source %d", sourceID), q.sql.RecordFetch,
		q.sql.Time(r.At), failed, string(r.Status), r.HTTPStatus, r.Err,
		r.ETag, r.LastModified, r.Title, r.SiteURL, q.sql.Time(r.NextPollAt), sourceID, r.ItemsPerDay,
		refused, r.Warning)
}

// UpdateSource writes the operator settings of src (Title, SiteURL,
// Folder, Rules, PreferFeed, Sections), or returns ErrNotFound.
func (q *Queries) UpdateSource(ctx context.Context, src *taglines.Source) error {
	return q.exec(ctx, fmt.Sprintf("update source %d", src.ID), q.sql.UpdateSource,
		src.Title, src.SiteURL, src.Folder, src.Rules, src.PreferFeed, src.Sections, src.ID)
}

// SourceState returns a stage's state for a source, or nil if none.
func (q *Queries) SourceState(ctx context.Context, sourceID int64, key string) ([]byte, error) {
	var data []byte
	err := q.r.QueryRow(ctx, q.sql.SourceState, sourceID, key).Scan(&data)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("source %d state %q: %w", sourceID, key, err)
	}
	return data, nil
}

// SetSourceState stores a stage's state for a source, or returns
// ErrNotFound if the source is gone.
func (q *Queries) SetSourceState(ctx context.Context, sourceID int64, key string, data []byte) error {
	if data == nil {
		data = []byte{}
	}
	if _, err := q.w.Exec(ctx, q.sql.SetSourceState, sourceID, key, data, q.sql.Time(time.Now())); err != nil {
		return fmt.Errorf("set source %d state %q: %w", sourceID, key, q.translate(err))
	}
	return nil
}
