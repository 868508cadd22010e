// Package sqlite implements taglines.Store on SQLite, through the pure-Go
// driver modernc.org/sqlite, in one database file.
//
// Writes go through a single connection, so goroutines of one process queue
// in Go for it and never meet SQLITE_BUSY; reads use a separate pool of
// read-only connections, which WAL mode lets run beside the writer. Write
// transactions begin IMMEDIATE and every connection waits up to
// busyTimeout for a lock, for the rare case of a second process (a CLI
// command beside the server) writing to the same file.
//
// Times are stored as INTEGER microseconds since the Unix epoch, NULL for
// the zero time, and are returned in UTC.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	"github.com/taglines/taglines"
	"github.com/taglines/taglines/sqldb"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// busyTimeout bounds how long a connection waits for another process's
// lock before failing with SQLITE_BUSY.
const busyTimeout = 30 * time.Second

// Store is a taglines.Store in one SQLite file. It is safe for concurrent
// use by many goroutines. Its zero value is not usable: create one with Open.
type Store struct {
	*queries            // the logic shared with postgres, over w and r
	w        *sql.DB    // exactly one connection: every write goes through it
	r        *sql.DB    // read-only connections
	rc       *stmtCache // r with its statements prepared once
	wr       *writer    // the transactions on w, committed in groups
}

var _ taglines.Store = (*Store)(nil)

// Open opens the SQLite database at path, creating the file if it does not
// exist, and applies any pending migrations before it returns. path is a
// file name: ":memory:" is rejected with ErrInvalid because the writer and
// the readers must share the database. Close the Store when done.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") || strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("open sqlite %q: need a plain file name: %w", path, taglines.ErrInvalid)
	}
	w, err := openDB(path, false)
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := migrate(ctx, w); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	r, err := openDB(path, true)
	if err != nil {
		_ = w.Close()
		return nil, err
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	if err := r.PingContext(ctx); err != nil {
		_ = w.Close()
		_ = r.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	wr := &writer{db: w}
	rc := newStmtCache(r)
	return &Store{queries: sqldb.New(querier{rc}, writeQuerier{querier{w}, wr}, statements, translate), w: w, r: r, rc: rc, wr: wr}, nil
}

// mmapSize is how much of the database file connections map. Mapped
// pages count in the process's resident size, but they are the kernel's
// page cache of the file: shared, and dropped first under memory pressure.
const mmapSize = 1 << 30

func openDB(path string, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "foreign_keys(1)")
	// The dedup index reads many small rows spread over the file: through
	// the default 2 MiB page cache nearly each was a read system call
	// (bench dedup --store, 5k articles: 3.5 -> 2.4 ms per article).
	q.Add("_pragma", fmt.Sprintf("mmap_size(%d)", mmapSize))
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		// Take the write lock at BEGIN: a deferred transaction that reads
		// and then writes can fail with SQLITE_BUSY whatever the timeout.
		q.Set("_txlock", "immediate")
		// Writes of index rows with random keys (the dedup index's
		// postings and filings, term counts) dirty a page each: with the
		// default 2 MiB cache a batch spilled pages to the log before its
		// commit, and with the default 1,000-page log every commit was
		// followed by a checkpoint writing the pages again (bench dedup
		// --store, 10k articles: 2.75 -> 1.99 ms per article with 64 MiB
		// of each). A 64 MiB cache gained 3% over 16 MiB at 100k articles
		// for 90 MiB more resident memory, so 16; the log is a file.
		q.Add("_pragma", "cache_size(-16384)")
		q.Add("_pragma", "wal_autocheckpoint(16384)")
		// Statement journals (every statement that fires the full-text
		// index's triggers, and the savepoints of group commit) spill to a
		// temporary file past 64 KiB: pwrite of that file was 9% of the
		// feed-only ingest benchmark's CPU. They are small and short-lived.
		q.Add("_pragma", "temp_store(MEMORY)")
	}
	db, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

func migrate(ctx context.Context, db *sql.DB) error {
	p, err := sqldb.Migrations(goose.DialectSQLite3, db, migrations)
	if err != nil {
		return err
	}
	// SQLite has no advisory lock to serialise processes that open a new
	// file together, but goose applies each migration in a transaction
	// with its version row: a process that loses the race fails its
	// transaction, and finds nothing pending when it looks again.
	for range 3 {
		if _, err = p.Up(ctx); err == nil {
			return nil
		}
		if pending, perr := p.HasPending(ctx); perr == nil && !pending {
			return nil
		}
	}
	return fmt.Errorf("migrate: %w", err)
}

// Close closes the store's connections, first letting SQLite refresh the
// statistics its query planner uses. Calls in flight may fail.
func (s *Store) Close() error {
	_, err := s.w.Exec(`PRAGMA optimize`)
	s.rc.close()
	return errors.Join(err, s.r.Close(), s.w.Close())
}

// write runs fn in a transaction on the write connection, possibly with
// other writes (see writer), and commits it if fn returns nil; fn's writes
// are undone if it returns an error.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.wr.write(ctx, fn)
}

// translate maps driver errors to the taglines sentinels, keeping the
// driver's message.
func translate(err error) error {
	return sqldb.Translate(err, sql.ErrNoRows, func(err error) error {
		var se *sqlite.Error
		if errors.As(err, &se) {
			return sentinels[se.Code()]
		}
		return nil
	})
}

// sentinels are the taglines errors of SQLite's extended result codes.
var sentinels = map[int]error{
	sqlite3.SQLITE_CONSTRAINT_UNIQUE:     taglines.ErrConflict,
	sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY: taglines.ErrConflict,
	sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY: taglines.ErrNotFound,
}
