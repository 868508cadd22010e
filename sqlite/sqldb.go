package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/taglines/taglines/sqldb"
)

// dialect encodes arguments as this schema stores them.
var dialect = sqldb.Dialect{
	Time: func(t time.Time) any { return t.UnixMicro() },
	IDs:  func(ids []int64) any { return keysJSON(ids) },
}

// sqlQuerier is what *sql.DB, *sql.Conn and *sql.Tx have in common.
type sqlQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// querier adapts database/sql to sqldb.Querier.
type querier struct{ q sqlQuerier }

var _ sqldb.Querier = querier{}

func (q querier) Query(ctx context.Context, query string, args ...any) (sqldb.Rows, error) {
	rows, err := q.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

func (q querier) QueryRow(ctx context.Context, query string, args ...any) sqldb.Row {
	return sqlRow{q.q.QueryRowContext(ctx, query, args...)}
}

func (q querier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// writeQuerier is the write connection's querier: statements run alone
// (Exec) join the writer's group commits; queries, which may write too
// (UPDATE ... RETURNING), run on the connection as they come.
type writeQuerier struct {
	querier
	wr *writer
}

func (q writeQuerier) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := q.wr.exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() }

type sqlRow struct{ r *sql.Row }

func (r sqlRow) Scan(dest ...any) error {
	err := r.r.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", sqldb.ErrNoRows, err)
	}
	return err
}
