package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds the prepared statements of the read pool: the
// store's own statements number a few dozen; search and rule conditions
// are built per query shape, and past the bound they are prepared per use
// as before, so no query text can grow the cache without end.
const maxCachedStmts = 256

// stmtCache is the read pool's querier with its statements prepared once
// per text (database/sql then prepares each on a connection at its first
// use there). Parsing and planning a statement cost SQLite about a third
// of a small page's read: a rare word's search at 100k articles spent 28%
// of its time preparing.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: make(map[string]*sql.Stmt)}
}

// stmt returns the prepared statement of text, or nil when the cache is
// full or the text does not prepare (the caller then runs it unprepared,
// and gets the error from there).
func (c *stmtCache) stmt(ctx context.Context, text string) *sql.Stmt {
	c.mu.Lock()
	st, ok := c.m[text]
	full := len(c.m) >= maxCachedStmts
	c.mu.Unlock()
	if ok || full {
		return st
	}
	// Prepared outside the lock: two goroutines may both prepare a new
	// text; the second keeps the first's and closes its own.
	st, err := c.db.PrepareContext(context.WithoutCancel(ctx), text)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[text]; ok {
		_ = st.Close()
		return old
	}
	if len(c.m) >= maxCachedStmts {
		_ = st.Close()
		return nil
	}
	c.m[text] = st
	return st
}

func (c *stmtCache) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.db.QueryContext(ctx, query, args...)
}

func (c *stmtCache) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.db.QueryRowContext(ctx, query, args...)
}

func (c *stmtCache) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := c.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.db.ExecContext(ctx, query, args...)
}

// close closes the prepared statements; the pool is closed by its owner.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for text, st := range c.m {
		_ = st.Close()
		delete(c.m, text)
	}
}
