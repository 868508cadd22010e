package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/taglines/taglines/sqldb"
)

// dialect encodes arguments as this schema stores them.
var dialect = sqldb.Dialect{
	Time: func(t time.Time) any { return micro(t) },
	IDs:  func(ids []int64) any { return ids },
}

// pgQuerier is what a pool, a connection and a transaction have in common.
type pgQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// querier adapts pgx to sqldb.Querier.
type querier struct{ q pgQuerier }

var _ sqldb.Querier = querier{}

func (q querier) Query(ctx context.Context, query string, args ...any) (sqldb.Rows, error) {
	return q.q.Query(ctx, query, args...)
}

func (q querier) QueryRow(ctx context.Context, query string, args ...any) sqldb.Row {
	return pgRow{q.q.QueryRow(ctx, query, args...)}
}

func (q querier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	tag, err := q.q.Exec(ctx, query, args...)
	return tag.RowsAffected(), err
}

type pgRow struct{ r pgx.Row }

func (r pgRow) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: %w", sqldb.ErrNoRows, err)
	}
	return err
}
