package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
)

// writer runs the Store's writes on its one write connection with group
// commit: the writes that arrive while a transaction runs wait, and then
// run together in the next transaction, each inside a savepoint of its
// own, with one commit for all. In WAL mode a commit appends every page the
// transaction dirtied; the writes of many sources share the pages of the
// articles' indexes, the full-text index and the sources table, so a batch
// writes each of them once instead of once per write. Each write is still
// atomic and sees the writes before it; a write that fails is rolled back
// to its savepoint and does not affect the others.
type writer struct {
	db *sql.DB

	mu      sync.Mutex
	queue   []*writeReq
	running bool // a drain goroutine is at work

	grouped atomic.Int64 // writes that shared a transaction, for tests
}

type writeReq struct {
	ctx  context.Context
	fn   func(tx *sql.Tx) error
	err  error
	done chan struct{}
}

// maxBatch bounds the writes of one transaction, so that one commit's
// pages stay within the page cache and a write waits at most one batch.
const maxBatch = 64

// write runs fn in a transaction and returns its error, or the commit's.
func (w *writer) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	req := &writeReq{ctx: ctx, fn: fn, done: make(chan struct{})}
	w.mu.Lock()
	w.queue = append(w.queue, req)
	start := !w.running
	w.running = true
	w.mu.Unlock()
	if start {
		// Not on the caller's goroutine: under a steady load the drain
		// never ends, and no caller should wait for others' writes.
		go w.drain()
	}
	<-req.done
	return req.err
}

func (w *writer) drain() {
	for {
		w.mu.Lock()
		batch := w.queue
		if len(batch) > maxBatch {
			batch = batch[:maxBatch:maxBatch]
			w.queue = w.queue[maxBatch:]
		} else {
			w.queue = nil
		}
		if len(batch) == 0 {
			w.running = false
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
		w.run(batch)
	}
}

// run runs a batch in one transaction and answers each of its writes.
func (w *writer) run(batch []*writeReq) {
	if len(batch) == 1 {
		req := batch[0]
		req.err = w.single(req)
		close(req.done)
		return
	}
	w.grouped.Add(int64(len(batch)))
	// The transaction belongs to no caller: a caller that gives up cancels
	// its own statements, not the others'.
	tx, err := w.db.BeginTx(context.Background(), nil)
	if err != nil {
		answer(batch, err)
		return
	}
	var ok []*writeReq
	for i, req := range batch {
		if err := req.ctx.Err(); err != nil {
			req.err = err
			close(req.done)
			continue
		}
		if _, err := tx.Exec(`SAVEPOINT write`); err != nil {
			w.abort(tx, append(ok, batch[i:]...), err)
			return
		}
		if err := req.fn(tx); err != nil {
			req.err = err
			close(req.done)
			if rerr := rollbackTo(tx); rerr != nil {
				// SQLite rolled the whole transaction back (an interrupt,
				// an I/O error): the batch's other writes are lost too.
				w.abort(tx, append(ok, batch[i+1:]...), fmt.Errorf("write rolled back with a failing write of its batch (%w): %w", err, rerr))
				return
			}
			continue
		}
		if _, err := tx.Exec(`RELEASE write`); err != nil {
			w.abort(tx, append(ok, batch[i:]...), err)
			return
		}
		ok = append(ok, req)
	}
	answer(ok, tx.Commit())
}

// single runs one write in a transaction of its own, as before batching.
func (w *writer) single(req *writeReq) (err error) {
	tx, err := w.db.BeginTx(req.ctx, nil)
	if err != nil {
		return err
	}
	if err := req.fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// rollbackTo undoes the writes since the savepoint and ends it.
func rollbackTo(tx *sql.Tx) error {
	if _, err := tx.Exec(`ROLLBACK TO write`); err != nil {
		return err
	}
	_, err := tx.Exec(`RELEASE write`)
	return err
}

func (w *writer) abort(tx *sql.Tx, reqs []*writeReq, err error) {
	_ = tx.Rollback()
	answer(reqs, err)
}

func answer(reqs []*writeReq, err error) {
	for _, req := range reqs {
		req.err = err
		close(req.done)
	}
}

// exec is a single statement as a write of its own, so that statements
// outside transactions (a fetch recorded, a source's state) join a batch
// instead of committing alone.
func (w *writer) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := w.write(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = tx.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}
