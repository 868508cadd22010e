// Package sqldb holds what the sqlite and postgres packages share: the logic
// of their queries, written once over a small interface (Querier) that each
// database package implements with its own driver, its own transactions and
// its own SQL text. Logic once, SQL twice: a query's text may differ by
// dialect, what is done with its rows may not.
//
// It imports no driver: the stages never reach storage but through
// taglines.Store, and the database packages adapt their drivers to Querier.
package sqldb

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNoRows is what a Row's Scan returns, whatever the driver, when the
// query selected nothing.
var ErrNoRows = errors.New("sqldb: no rows")

// Row is one selected row, as both drivers return it.
type Row interface {
	Scan(dest ...any) error
}

// Rows is the cursor over a query's rows. Close is idempotent.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close()
}

// Querier runs statements on a pool, a connection or a transaction of one
// database. Arguments are already in the database's encoding (see Dialect).
type Querier interface {
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	// QueryRow's Scan returns ErrNoRows when nothing was selected.
	QueryRow(ctx context.Context, query string, args ...any) Row
	// Exec returns the number of rows affected.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
}

// Dialect encodes arguments the way one database stores them.
type Dialect struct {
	// Time encodes an instant: microseconds since the epoch in SQLite,
	// timestamptz truncated to microseconds in PostgreSQL.
	Time func(time.Time) any
	// IDs encodes a list of IDs for one placeholder: a JSON array that
	// SQLite expands with json_each, a bigint[] for PostgreSQL.
	IDs func([]int64) any
}

// Collect reads every row of a query with scan and closes the rows; err is
// the query's own error, so that a call reads Collect(q.Query(...)).
func Collect[T any](rows Rows, err error, scan func(Row) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Time scans an instant from either encoding: microseconds since the epoch
// (SQLite), a time.Time (PostgreSQL), or NULL, which leaves the zero time.
// The result is in UTC.
type Time struct{ time.Time }

// Scan implements sql.Scanner, which both drivers honour.
func (t *Time) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		t.Time = time.Time{}
	case int64:
		t.Time = time.UnixMicro(v).UTC()
	case time.Time:
		t.Time = v.UTC()
	default:
		return fmt.Errorf("sqldb: cannot scan %T as a time", src)
	}
	return nil
}
