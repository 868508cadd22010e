package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/taglines/taglines"
)

const sourceColumns = `s.id, s.url, s.title, s.site_url, s.created_at, s.etag, s.last_modified,
	s.last_attempt_at, s.last_success_at, s.status, s.http_status, s.last_error,
	s.consecutive_failures, s.next_poll_at, s.items_per_day, s.folder, s.rules, s.prefer_feed`

// scanSource reads sourceColumns, then extra destinations.
func scanSource(row pgx.Row, extra ...any) (*taglines.Source, error) {
	var (
		src              taglines.Source
		created, next    time.Time
		attempt, success *time.Time
		status           string
	)
	dest := []any{&src.ID, &src.URL, &src.Title, &src.SiteURL, &created, &src.ETag, &src.LastModified,
		&attempt, &success, &status, &src.HTTPStatus, &src.LastError,
		&src.ConsecutiveFailures, &next, &src.ItemsPerDay, &src.Folder, &src.Rules, &src.PreferFeed}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	src.CreatedAt = created.UTC()
	src.LastAttemptAt = timeOf(attempt)
	src.LastSuccessAt = timeOf(success)
	src.NextPollAt = next.UTC()
	src.Status = taglines.FetchStatus(status)
	return &src, nil
}

// AddSource stores a new source with its URL, Title and SiteURL, due at
// once, and sets its ID, CreatedAt and NextPollAt; the health fields of src
// are ignored. Returns ErrInvalid if the URL is empty and ErrConflict if a
// source with the same URL exists.
func (s *Store) AddSource(ctx context.Context, src *taglines.Source) error {
	if src.URL == "" {
		return fmt.Errorf("add source: empty URL: %w", taglines.ErrInvalid)
	}
	now := micro(time.Now())
	next := time.Unix(0, 0).UTC() // due under any clock, like the SQLite store
	if !src.NextPollAt.IsZero() {
		next = micro(src.NextPollAt)
	}
	var id int64
	err := s.pool.QueryRow(ctx,
		`INSERT INTO sources (url, title, site_url, created_at, next_poll_at, folder, rules, prefer_feed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		src.URL, src.Title, src.SiteURL, now, next, src.Folder, src.Rules, src.PreferFeed).Scan(&id)
	if err != nil {
		return fmt.Errorf("add source %s: %w", src.URL, translate(err))
	}
	src.ID, src.CreatedAt, src.NextPollAt = id, now, next
	return nil
}

// articleCount is the extra column that Source, SourceByURL and Sources add.
const articleCount = `(SELECT count(*) FROM articles a WHERE a.source_id = s.id)`

// Source returns the source with the given ID and its ArticleCount, or
// ErrNotFound.
func (s *Store) Source(ctx context.Context, id int64) (*taglines.Source, error) {
	var n int
	src, err := scanSource(s.pool.QueryRow(ctx,
		`SELECT `+sourceColumns+`, `+articleCount+` FROM sources s WHERE s.id = $1`, id), &n)
	if err != nil {
		return nil, fmt.Errorf("source %d: %w", id, translate(err))
	}
	src.ArticleCount = n
	return src, nil
}

// SourceByURL returns the source with the given feed URL and its
// ArticleCount, or ErrNotFound.
func (s *Store) SourceByURL(ctx context.Context, url string) (*taglines.Source, error) {
	var n int
	src, err := scanSource(s.pool.QueryRow(ctx,
		`SELECT `+sourceColumns+`, `+articleCount+` FROM sources s WHERE s.url = $1`, url), &n)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", url, translate(err))
	}
	src.ArticleCount = n
	return src, nil
}

// Sources lists every source by ID, with its health and ArticleCount.
func (s *Store) Sources(ctx context.Context) ([]*taglines.Source, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+sourceColumns+`, `+articleCount+` FROM sources s ORDER BY s.id`)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	defer rows.Close()
	var out []*taglines.Source
	for rows.Next() {
		var n int
		src, err := scanSource(rows, &n)
		if err != nil {
			return nil, fmt.Errorf("sources: %w", err)
		}
		src.ArticleCount = n
		out = append(out, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	return out, nil
}

// RemoveSource deletes a source with its articles and their tag links, or
// returns ErrNotFound. Tags stay, even those no article carries any more.
func (s *Store) RemoveSource(ctx context.Context, id int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sources WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("remove source %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("remove source %d: %w", id, taglines.ErrNotFound)
	}
	return nil
}

// ClaimDueSources leases up to limit sources whose NextPollAt is at or
// before now and whose lease, if any, ended at or before now, to owner until
// now+lease, and returns them ordered by NextPollAt, then ID. Sources that
// a concurrent claim is taking are skipped, not waited for. The returned
// sources have no ArticleCount. Returns ErrInvalid if owner is empty or
// lease is not positive; a limit <= 0 claims nothing.
func (s *Store) ClaimDueSources(ctx context.Context, owner string, now time.Time, limit int, lease time.Duration) ([]*taglines.Source, error) {
	if owner == "" || lease <= 0 {
		return nil, fmt.Errorf("claim due sources: owner %q, lease %v: %w", owner, lease, taglines.ErrInvalid)
	}
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `
		UPDATE sources s SET claimed_by = $1, claim_expires_at = $2
		WHERE s.id IN (
			SELECT id FROM sources
			WHERE next_poll_at <= $3 AND (claim_expires_at IS NULL OR claim_expires_at <= $3)
			ORDER BY next_poll_at, id
			LIMIT $4
			FOR UPDATE SKIP LOCKED)
		RETURNING `+sourceColumns,
		owner, micro(now.Add(lease)), micro(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim due sources: %w", err)
	}
	defer rows.Close()
	var out []*taglines.Source
	for rows.Next() {
		src, err := scanSource(rows)
		if err != nil {
			return nil, fmt.Errorf("claim due sources: %w", err)
		}
		out = append(out, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("claim due sources: %w", err)
	}
	// RETURNING has no order of its own.
	slices.SortFunc(out, func(a, b *taglines.Source) int {
		if c := a.NextPollAt.Compare(b.NextPollAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
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
func (s *Store) RecordFetch(ctx context.Context, sourceID int64, r taglines.FetchResult) error {
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
	tag, err := s.pool.Exec(ctx, `
		UPDATE sources SET
			last_attempt_at = $1,
			last_success_at = CASE WHEN $2 THEN last_success_at ELSE $1 END,
			status = $3,
			http_status = $4,
			last_error = CASE WHEN $2 THEN $5 ELSE '' END,
			consecutive_failures = CASE WHEN $2 THEN consecutive_failures + 1 ELSE 0 END,
			etag = COALESCE(NULLIF($6, ''), etag),
			last_modified = COALESCE(NULLIF($7, ''), last_modified),
			title = COALESCE(NULLIF($8, ''), title),
			site_url = COALESCE(NULLIF($9, ''), site_url),
			next_poll_at = $10,
			items_per_day = CASE WHEN $12::double precision >= 0 THEN $12::double precision ELSE items_per_day END,
			claimed_by = NULL,
			claim_expires_at = NULL
		WHERE id = $11`,
		micro(r.At), failed, string(r.Status), r.HTTPStatus, r.Err,
		r.ETag, r.LastModified, r.Title, r.SiteURL, micro(r.NextPollAt), sourceID, r.ItemsPerDay)
	if err != nil {
		return fmt.Errorf("record fetch of source %d: %w", sourceID, translate(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("record fetch of source %d: %w", sourceID, taglines.ErrNotFound)
	}
	return nil
}

// UpdateSource writes the operator settings of src, or returns ErrNotFound.
func (s *Store) UpdateSource(ctx context.Context, src *taglines.Source) error {
	tag, err := s.pool.Exec(ctx,
		`UPDATE sources SET title = $1, site_url = $2, folder = $3, rules = $4, prefer_feed = $5 WHERE id = $6`,
		src.Title, src.SiteURL, src.Folder, src.Rules, src.PreferFeed, src.ID)
	if err != nil {
		return fmt.Errorf("update source %d: %w", src.ID, translate(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("update source %d: %w", src.ID, taglines.ErrNotFound)
	}
	return nil
}

// SourceState returns a stage's state for a source, or nil if none.
func (s *Store) SourceState(ctx context.Context, sourceID int64, key string) ([]byte, error) {
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM source_state WHERE source_id = $1 AND key = $2`, sourceID, key).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("source %d state %q: %w", sourceID, key, err)
	}
	return data, nil
}

// SetSourceState stores a stage's state for a source, or returns
// ErrNotFound if the source is gone.
func (s *Store) SetSourceState(ctx context.Context, sourceID int64, key string, data []byte) error {
	if data == nil {
		data = []byte{}
	}
	_, err := s.pool.Exec(ctx, `
		INSERT INTO source_state (source_id, key, data, updated_at) VALUES ($1, $2, $3, now())
		ON CONFLICT (source_id, key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
		sourceID, key, data)
	if err != nil {
		return fmt.Errorf("set source %d state %q: %w", sourceID, key, translate(err))
	}
	return nil
}
