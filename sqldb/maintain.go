package sqldb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/taglines/taglines"
)

// IndexFunc writes the search index of a batch of articles, replacing
// what was there, in the transaction it was handed with.
type IndexFunc func(ids []int64, titles, texts []string) error

// TxFunc runs fn in one write transaction of a database, handing it the
// transaction and the database's way of indexing articles in it, and
// commits if fn returns nil.
type TxFunc func(ctx context.Context, fn func(tx Querier, index IndexFunc) error) error

// BackfillSQL is one dialect's text of the search-index backfill.
type BackfillSQL struct {
	// Next selects the next_id of the one backfill row; no row means
	// nothing is left to do.
	Next string
	// Counts selects the articles and those below (next).
	Counts string
	// Lock, if set, selects next_id again inside the batch's transaction,
	// locking the row so that one process backfills at a time; no row
	// then means another process finished.
	Lock string
	// Batch selects (id, title, text) from (next, limit), by ID.
	Batch string
	// Done deletes the backfill row; Advance sets it to (next).
	Done, Advance string
}

// backfillBatch is the articles indexed per transaction.
const backfillBatch = 1000

// Backfill indexes the articles stored before the search index existed, in
// batches, each its own transaction, so that it resumes where it stopped;
// progress, if not nil, is told how far it got; finish, if not nil, runs
// once after the last batch. It returns at once when there is nothing to do.
func Backfill(ctx context.Context, r Querier, s BackfillSQL, inTx TxFunc, progress func(done, total int), finish func(context.Context) error) error {
	var next int64
	err := r.QueryRow(ctx, s.Next).Scan(&next)
	if errors.Is(err, ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("index search: %w", err)
	}
	var total, done int
	if err := r.QueryRow(ctx, s.Counts, next).Scan(&total, &done); err != nil {
		return fmt.Errorf("index search: %w", err)
	}
	for {
		if progress != nil {
			progress(done, total)
		}
		var n int
		err := inTx(ctx, func(tx Querier, index IndexFunc) error {
			if s.Lock != "" {
				if err := tx.QueryRow(ctx, s.Lock).Scan(&next); err != nil {
					return err
				}
			}
			type doc struct {
				id          int64
				title, text string
			}
			rows, err := tx.Query(ctx, s.Batch, next, backfillBatch)
			docs, err := Collect(rows, err, func(row Row) (doc, error) {
				var d doc
				err := row.Scan(&d.id, &d.title, &d.text)
				return d, err
			})
			if err != nil {
				return err
			}
			ids, titles, texts := make([]int64, len(docs)), make([]string, len(docs)), make([]string, len(docs))
			for i, d := range docs {
				ids[i], titles[i], texts[i] = d.id, d.title, d.text
			}
			if err := index(ids, titles, texts); err != nil {
				return err
			}
			if n = len(ids); n < backfillBatch {
				_, err = tx.Exec(ctx, s.Done)
				return err
			}
			next = ids[n-1] + 1
			_, err = tx.Exec(ctx, s.Advance, next)
			return err
		})
		if s.Lock != "" && errors.Is(err, ErrNoRows) {
			return nil // another process finished it
		}
		if err != nil {
			return fmt.Errorf("index search: %w", err)
		}
		done += n
		if n < backfillBatch {
			if finish != nil {
				if err := finish(ctx); err != nil {
					return fmt.Errorf("index search: %w", err)
				}
			}
			if progress != nil {
				progress(total, total)
			}
			return nil
		}
	}
}

// UpdateSQL is one dialect's text of Store.UpdateArticles.
type UpdateSQL struct {
	// Update rewrites (title, text, section, section confidence, id) and
	// returns published_at; no row means an unknown ID.
	Update string
	// DeleteTags removes the tags of (article id).
	DeleteTags string
}

// UpdateArticles rewrites stored articles inside the write transaction tx:
// each known article's columns, its search index (index, with the position
// of the article in articles) and its tags (link, given the article's
// publication time). Unknown IDs are skipped; it returns how many were
// known.
func UpdateArticles(ctx context.Context, tx Querier, s UpdateSQL, articles []*taglines.Article,
	index func(i int) error, link func(a *taglines.Article, published time.Time) error) (int, error) {
	n := 0
	for i, a := range articles {
		var published Time
		err := tx.QueryRow(ctx, s.Update, a.Title, a.Text, a.Section, a.SectionConfidence, a.ID).Scan(&published)
		if errors.Is(err, ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("article %d: %w", a.ID, err)
		}
		n++
		if err := index(i); err != nil {
			return 0, fmt.Errorf("article %d: %w", a.ID, err)
		}
		if _, err := tx.Exec(ctx, s.DeleteTags, a.ID); err != nil {
			return 0, fmt.Errorf("article %d: %w", a.ID, err)
		}
		if err := link(a, published.Time); err != nil {
			return 0, fmt.Errorf("article %d: %w", a.ID, err)
		}
	}
	return n, nil
}
