package postgres

import (
	"context"

	"github.com/taglines/taglines/sqldb"
)

// SetFirstWindow narrows the first window of ranked searches, so that the
// shared search suite also runs the windows after it: the bitmap reads,
// the sizing by density, the jump to the rest after an empty window.
func SetFirstWindow(n int64) (restore func()) {
	old := firstWindow
	firstWindow = n
	return func() { firstWindow = old }
}

// ExplainedQueries returns the store's query layer over its pool, calling
// explain with every read before running it: the plan check's hook.
func ExplainedQueries(s *Store, explain func(ctx context.Context, query string, args []any)) *sqldb.Queries {
	q := explaining{querier{s.pool}, explain}
	return sqldb.New(q, q, statements, translate)
}

type explaining struct {
	querier
	explain func(ctx context.Context, query string, args []any)
}

func (e explaining) Query(ctx context.Context, query string, args ...any) (sqldb.Rows, error) {
	e.explain(ctx, query, args)
	return e.querier.Query(ctx, query, args...)
}

func (e explaining) QueryRow(ctx context.Context, query string, args ...any) sqldb.Row {
	e.explain(ctx, query, args)
	return e.querier.QueryRow(ctx, query, args...)
}
