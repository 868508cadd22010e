package sqldb

import (
	"database/sql"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// Migrations is the goose provider of a store's migrations, the files under
// migrations/ in fsys, on db. Each store applies them its own way: SQLite
// retries a lost race between processes, PostgreSQL holds an advisory lock.
func Migrations(dialect goose.Dialect, db *sql.DB, fsys fs.FS) (*goose.Provider, error) {
	sub, err := fs.Sub(fsys, "migrations")
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(dialect, db, sub, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}
