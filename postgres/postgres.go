// Package postgres implements taglines.Store on PostgreSQL through pgx.
//
// Several processes may share one database: sources are leased with
// FOR UPDATE SKIP LOCKED, and migrations run under an advisory lock. The
// store keeps to the schema that the connection's search_path selects, so
// several stores (tests, tenants) can share a database in separate schemas.
//
// Times are stored as timestamptz, to the microsecond, NULL for the zero
// time, and are returned in UTC.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/taglines/taglines"
	"github.com/taglines/taglines/sqldb"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Store is a taglines.Store in a PostgreSQL database. It is safe for
// concurrent use by many goroutines and by many processes sharing the
// database. Its zero value is not usable: create one with Open.
type Store struct {
	*queries // the logic shared with sqlite, over pool
	pool     *pgxpool.Pool
}

var _ taglines.Store = (*Store)(nil)

// Open connects to the database at url (a postgres:// URL or a key=value
// connection string, as pgx accepts; a search_path parameter selects the
// schema) and applies any pending migrations, under an advisory lock so that
// processes starting together apply each migration once. Close the Store
// when done.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	// No parallel workers unless the URL asks: the store's queries are
	// short and many at once, and starting workers cost a search 130 ms
	// of its 145 (1M articles, 2 cores).
	if _, ok := cfg.ConnConfig.RuntimeParams["max_parallel_workers_per_gather"]; !ok {
		cfg.ConnConfig.RuntimeParams["max_parallel_workers_per_gather"] = "0"
	}
	if err := migrate(ctx, cfg.ConnConfig.Copy()); err != nil {
		return nil, fmt.Errorf("open postgres %s/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Database, err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open postgres %s/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Database, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open postgres %s/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Database, err)
	}
	q := querier{pool}
	return &Store{queries: sqldb.New(q, q, statements, translate), pool: pool}, nil
}

// migrate applies the embedded migrations through a database/sql handle of
// its own, whose connections (and so the advisory lock) end with it.
//
// The lock is held around all of goose's work, not taken through goose's
// session locker: goose checks for pending migrations, creating its version
// table, before it takes that lock, so processes starting together would
// race to create the table and the losers wait a second to retry.
func migrate(ctx context.Context, cfg *pgx.ConnConfig) (err error) {
	db := stdlib.OpenDB(*cfg)
	defer func() { _ = db.Close() }()
	p, err := sqldb.Migrations(goose.DialectPostgres, db, migrations)
	if err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// Closing the connection ends the session and so releases the lock
	// whatever happens to the unlock.
	defer func() { _ = conn.Close() }()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1, hashtext(coalesce(current_schema(), '')))`,
		migrationLockKey); err != nil {
		return fmt.Errorf("migration lock: %w", err)
	}
	defer func() {
		_, uerr := conn.ExecContext(context.WithoutCancel(ctx),
			`SELECT pg_advisory_unlock($1, hashtext(coalesce(current_schema(), '')))`, migrationLockKey)
		if uerr != nil && err == nil {
			err = fmt.Errorf("migration unlock: %w", uerr)
		}
	}()
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// migrationLockKey is the first key of the advisory lock that serialises
// migrations; the second is the schema's, so that separate schemas migrate
// in parallel.
const migrationLockKey = 0x7461676c // "tagl"

// Close closes the store's connections, waiting for those in use to be
// returned.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// translate maps driver errors to the taglines sentinels, keeping the
// driver's message.
func translate(err error) error {
	return sqldb.Translate(err, pgx.ErrNoRows, func(err error) error {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			return sentinels[pe.Code]
		}
		return nil
	})
}

// sentinels are the taglines errors of SQLSTATE codes.
var sentinels = map[string]error{
	"23505": taglines.ErrConflict, // unique_violation
	"23503": taglines.ErrNotFound, // foreign_key_violation
	"22021": taglines.ErrInvalid,  // character_not_in_repertoire: NUL bytes
	"22P05": taglines.ErrInvalid,  // untranslatable_character: invalid UTF-8
}

// micro is t in UTC to the microsecond, as timestamptz keeps it.
func micro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
